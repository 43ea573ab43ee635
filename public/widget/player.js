// The preview player. Like the 2017 page it starts the preview as soon as the prediction is in
// (new Audio(mp3)), but it also puts the element on the page with controls: browsers refuse
// autoplay without a user gesture often enough that people need a way to press play themselves.

/**
 * @param {{ onStateChange: (state: 'none' | 'playing' | 'paused') => void }} args
 */
export function createPlayer({ onStateChange }) {
  /** @type {HTMLAudioElement | null} */
  let audio = null;

  function stop() {
    if (audio) {
      audio.pause();
      audio.remove();
      audio = null;
    }
    onStateChange('none');
  }

  return {
    stop,
    /**
     * Puts a player into `container` and tries to start it.
     * @returns {Promise<'playing' | 'blocked' | 'failed'>} 'blocked': the browser refused to start
     *   it without a click (autoplay policy); 'failed': the audio could not be loaded or decoded.
     */
    async start({ container, src }) {
      stop();
      audio = new Audio(src);
      audio.controls = true;
      audio.className = 'mp-audio';
      audio.setAttribute('aria-label', 'Song preview');
      const current = audio;
      // Events of a player that was replaced or stopped meanwhile must not touch the button.
      const report = (state) => () => { if (audio === current) onStateChange(state); };
      current.addEventListener('play', report('playing'));
      current.addEventListener('pause', report('paused'));
      current.addEventListener('ended', report('paused'));
      container.append(current);
      onStateChange('paused');
      try {
        await current.play();
        return 'playing';
      } catch (err) {
        return err?.name === 'NotAllowedError' ? 'blocked' : 'failed';
      }
    },
    /** The "Pause song" button: pauses, or resumes a paused song. */
    toggle() {
      if (!audio) return;
      if (audio.paused) audio.play().catch(() => onStateChange('paused'));
      else audio.pause();
    },
  };
}
