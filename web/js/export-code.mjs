// export-code.mjs: the playground's "Export code" button (issue 11, take home). The worker asks the
// core for the take-home files of the current config (request exportScript: export_script.h, the
// same bytes as `nnplay export --config c.json --script numpy|pytorch --out DIR`: train.py, data.json,
// init.json, config.json) and the page downloads them as ONE zip, nnplay-<script>.zip, holding the
// folder nnplay-<script>/. Why a zip and not four downloads: train.py reads data.json and init.json
// from its own folder, and a browser renames a second download "data (1).json", so a learner who
// exports twice would silently train on the first export's data; browsers also ask before a page
// starts several downloads at once. The zip is a stored one (zip-store.mjs, about 60 lines, no
// library). It does no training and changes nothing on the page.
import { download } from './model-file.mjs';
import { zipStore } from './zip-store.mjs';

// The zip's bytes for the files of one script: every file under the folder nnplay-<script>/.
export function exportZip(files, script) {
  const folder = `nnplay-${script}`;
  const names = Object.keys(files).sort((a, b) => (a === 'train.py' ? -1 : b === 'train.py' ? 1 : a.localeCompare(b)));
  return zipStore(names.map((name) => ({ name: `${folder}/${name}`, text: files[name] })));
}

// button: the Export code button; script: the select of 'numpy' | 'pytorch'.
export function createExportCode({ client, button, script, showMessages }) {
  button.addEventListener('click', async () => {
    const which = script.value;
    button.disabled = true;
    try {
      const { files } = await client.request('exportScript', { script: which });
      download(exportZip(files, which), `nnplay-${which}.zip`, 'application/zip');
      showMessages(`Downloaded nnplay-${which}.zip:`, [
        `unzip it and run python3 nnplay-${which}/train.py: it trains this network from the same initial weights, ` +
        `in the same batch order, and prints the same per-epoch JSON lines as nnplay train (${Object.keys(files).join(', ')}).`], 'info');
    } catch (e) {
      showMessages('Export code failed:', [e.message], 'error');
    } finally {
      button.disabled = false;
    }
  });
}
