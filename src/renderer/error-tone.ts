/**
 * The short low beep for a miss (item not found, bad barcode), so a cashier looking at the customer
 * knows to look at the screen. Generated with Web Audio: no sound file to ship or to allow in CSP.
 */
export function createErrorTone(): () => void {
  let context: AudioContext | null = null;
  return () => {
    try {
      // Created on first use: a miss follows a key press, which lets Chromium start audio.
      context ??= new AudioContext();
      void context.resume();
      const start = context.currentTime;
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'square';
      oscillator.frequency.setValueAtTime(660, start);
      oscillator.frequency.setValueAtTime(440, start + 0.09);
      gain.gain.setValueAtTime(0.08, start);
      gain.gain.exponentialRampToValueAtTime(0.001, start + 0.22);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.22);
    } catch {
      // No audio device on this counter PC: the message under the scan field still shows.
    }
  };
}
