import type { Tone } from "./attention.js";

/*
 * Alert tones generated with WebAudio, so no sound asset has to ship or be
 * allowed by the CSP. Critical: three rising double beeps; urgent: two beeps.
 */

type Beep = { at: number; frequency: number; duration: number };

const PATTERNS: Record<Tone, Beep[]> = {
  critical: [0, 0.5, 1].flatMap((start, i) => [
    { at: start, frequency: 880 + i * 110, duration: 0.16 },
    { at: start + 0.2, frequency: 1175 + i * 110, duration: 0.16 },
  ]),
  urgent: [
    { at: 0, frequency: 740, duration: 0.22 },
    { at: 0.35, frequency: 988, duration: 0.22 },
  ],
};

export class AlertSound {
  private context: AudioContext | null = null;

  play(tone: Tone): void {
    if (typeof AudioContext === "undefined") return;
    this.context ??= new AudioContext();
    const context = this.context;
    // Browsers start contexts suspended until a user gesture; a wall in kiosk mode allows autoplay.
    if (context.state === "suspended") void context.resume();
    const start = context.currentTime + 0.02;
    for (const beep of PATTERNS[tone]) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = "square";
      oscillator.frequency.value = beep.frequency;
      const t0 = start + beep.at;
      gain.gain.setValueAtTime(0.0001, t0);
      gain.gain.exponentialRampToValueAtTime(0.25, t0 + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + beep.duration);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(t0);
      oscillator.stop(t0 + beep.duration + 0.02);
    }
  }

  close(): void {
    void this.context?.close();
    this.context = null;
  }
}
