/*
 * Okabe–Ito: eight colours that stay distinct for the common forms of colour
 * blindness. Every use pairs the colour with a word, sign or shape, so no
 * meaning rests on hue alone.
 */
export const OKABE_ITO = {
  orange: "#E69F00",
  skyBlue: "#56B4E9",
  bluishGreen: "#009E73",
  yellow: "#F0E442",
  blue: "#0072B2",
  vermillion: "#D55E00",
  reddishPurple: "#CC79A7",
  grey: "#999999",
} as const;

/** Better / worse / unchanged: blue against vermillion is the pair that survives every dichromacy. */
export const TREND_COLOURS = { better: OKABE_ITO.skyBlue, worse: OKABE_ITO.vermillion, neutral: "#B8C4D0" } as const;

/** Series colours in an order that keeps neighbours far apart. */
export const SERIES = [OKABE_ITO.skyBlue, OKABE_ITO.orange, OKABE_ITO.bluishGreen, OKABE_ITO.reddishPurple, OKABE_ITO.yellow, OKABE_ITO.vermillion, OKABE_ITO.blue, OKABE_ITO.grey] as const;
