// seed-note.mjs: the note beside the metrics while the run is the "Seed network" preset. Its own
// settings are the reference NumPy network's (learning rate 0.01, full batch, 100 epochs), with
// which the reference itself ends near 45% train accuracy on the 3-arm spiral: nnplay reproduces
// that, so the note says it is the reference's behaviour, not a fault, and offers to go on to 2,000
// epochs (the same run, continued: only "Epochs" changes). Its figures for 2,000 epochs were
// measured with the CLI on this fixed config (nnplay train, tests/oracle/seed.json with epochs 2000:
// 49.7% at learning rate 0.01, 89.0% at 1). Which configs are the preset is the core's word:
// `preset` is SEED_PRESET as the core normalized it.
import { sameConfig } from './state.mjs';

export const CONTINUE_EPOCHS = 2000;

// box: the note's element; onContinue(epochs) when its button is pressed.
export function createSeedNote(box, onContinue) {
  let preset = null;   // the preset's page config, once known
  const text = document.createElement('p');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'small';
  button.textContent = `Continue to ${CONTINUE_EPOCHS.toLocaleString('en-US')} epochs`;
  button.addEventListener('click', () => onContinue(CONTINUE_EPOCHS));
  box.replaceChildren(text, button);

  return {
    setPreset(config) { preset = config; },
    // Shows the note while `config` is the preset (with any number of epochs), else hides it.
    show(config) {
      box.hidden = !preset || !config || !sameConfig({ ...config, epochs: preset.epochs }, preset);
      if (box.hidden) return;
      const lr = preset.optimizer.learning_rate, epochs = preset.epochs;
      const more = config.epochs > epochs;
      text.textContent = more
        ? `Seed network, continued past the reference's ${epochs} epochs with the same weights and learning rate ${lr}. ` +
          'At this rate gradient descent crawls (about 50% after 2,000 epochs); a learning rate of 1 takes the same ' +
          'network to about 89% in 2,000 epochs.'
        : `Seed network: the reference's own settings (learning rate ${lr}, full batch, ${epochs} epochs). ` +
          'With them the reference itself ends near 45% train accuracy: nnplay reproduces it; it is not a fault. ' +
          'Plain gradient descent at this rate is slow on the spiral.';
      button.hidden = config.epochs >= CONTINUE_EPOCHS;
    },
  };
}
