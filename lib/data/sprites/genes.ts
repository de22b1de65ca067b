/**
 * What a creature looks like, and how the two classes draw it. Both classes sample every gene
 * from the same ranges; "pokemon" only *lean* towards ears and round bodies and "digimon"
 * towards horns, spikes and fangs, so that the creatures overlap substantially and a classifier
 * that looks only at the creature cannot be very accurate. The shortcut of the story is elsewhere:
 * in how the files are stored (see `generateSprites`).
 *
 * @example
 * ```ts
 * const g = sampleGenes(new SpriteRandom(0, 1, 7), 'pokemon');
 * g.ears;   // 'round' | 'pointy' | 'none'
 * ```
 */
import { SpriteRandom } from './random';

/** The two classes of the lecture's story, in the order a folder loader lists them. */
export const SPRITE_CLASSES = ['digimon', 'pokemon'] as const;
/** One of {@link SPRITE_CLASSES}. */
export type SpriteClass = (typeof SPRITE_CLASSES)[number];

/** Everything that varies between creatures. Lengths are fractions of the image side or of the body. */
export interface CreatureGenes {
  /** Body centre, fraction of the image width / height. */
  x: number;
  y: number;
  /** Body half-width, fraction of the image side. */
  radius: number;
  /** Body height / width. */
  aspect: number;
  /** Superellipse exponent of the body: 2 an ellipse, larger boxier, smaller pinched. */
  roundness: number;
  /** Pose: body tilt in radians. */
  tilt: number;
  /** Pose: which way the creature looks (1 right, −1 left). */
  facing: 1 | -1;
  /** Body colour as hue, saturation, value in [0, 1]. */
  hue: number;
  saturation: number;
  value: number;
  /** Hue offset of the accent colour (belly, spots, inner ears, spikes). */
  accentHue: number;
  belly: boolean;
  /** Number of spots on the body. */
  spots: number;
  eyes: 1 | 2;
  /** Eye radius, fraction of the body half-width. */
  eyeSize: number;
  /** Pupil offset in [−1, 1]. */
  gaze: number;
  legs: 0 | 2 | 4;
  /** Leg length, fraction of the body half-width. */
  legLength: number;
  arms: boolean;
  /** Pose: arm angle in radians below the horizontal (negative: raised). */
  armAngle: number;
  ears: 'none' | 'round' | 'pointy';
  horns: boolean;
  /** Number of spikes along the back. */
  spikes: number;
  tail: 'none' | 'thin' | 'thick';
  fangs: boolean;
}

/**
 * How much each class leans, as probabilities [digimon, pokemon]. Everything not listed here is
 * drawn identically for both classes (colours, size, position, pose, eyes, legs, arms, tail…).
 */
export const CLASS_LEANING = {
  ears: [0.3, 0.7],
  horns: [0.5, 0.2],
  spikes: [0.5, 0.2],
  fangs: [0.4, 0.15],
  /** Probability of a rounder body (exponent drawn from [1.8, 2.4] rather than [2.2, 3.4]). */
  roundBody: [0.3, 0.7],
} as const;

/** Samples the genes of one creature of class `cls`. */
export function sampleGenes(rnd: SpriteRandom, cls: SpriteClass): CreatureGenes {
  const k = cls === 'pokemon' ? 1 : 0;
  const lean = (name: keyof typeof CLASS_LEANING) => rnd.chance(CLASS_LEANING[name][k]);
  const legs = rnd.pick([0, 2, 2, 4] as const);
  const earsOn = lean('ears');
  return {
    x: rnd.uniform(0.44, 0.56),
    y: rnd.uniform(0.44, 0.52),
    radius: rnd.uniform(0.18, 0.25),
    aspect: rnd.uniform(0.75, 1.1),
    roundness: lean('roundBody') ? rnd.uniform(1.8, 2.4) : rnd.uniform(2.2, 3.4),
    tilt: rnd.uniform(-0.3, 0.3),
    facing: rnd.chance(0.5) ? 1 : -1,
    hue: rnd.next(),
    saturation: rnd.uniform(0.35, 0.9),
    value: rnd.uniform(0.55, 0.95),
    accentHue: rnd.uniform(-0.25, 0.25),
    belly: rnd.chance(0.5),
    spots: rnd.chance(0.35) ? rnd.int(1, 4) : 0,
    eyes: rnd.chance(0.85) ? 2 : 1,
    eyeSize: rnd.uniform(0.17, 0.3),
    gaze: rnd.uniform(-1, 1),
    legs,
    legLength: rnd.uniform(0.3, 0.65),
    arms: rnd.chance(0.55),
    armAngle: rnd.uniform(-0.9, 0.9),
    ears: earsOn ? (rnd.chance(0.5) ? 'round' : 'pointy') : 'none',
    horns: lean('horns'),
    spikes: lean('spikes') ? rnd.int(2, 5) : 0,
    tail: rnd.pick(['none', 'thin', 'thick'] as const),
    fangs: lean('fangs'),
  };
}

/**
 * The best accuracy *any* classifier can reach from the creature alone: the Bayes rate of the
 * leaning genes of {@link CLASS_LEANING}, treated as observed (everything else is drawn
 * identically for both classes, and an image is a function of its genes, so no image classifier
 * can do better). With the default leanings it is about 0.79: the creatures overlap substantially.
 *
 * @example
 * ```ts
 * creatureBayesAccuracy();   // ≈ 0.786
 * ```
 */
export function creatureBayesAccuracy(): number {
  const leanings = Object.values(CLASS_LEANING);
  let accuracy = 0;
  for (let bits = 0; bits < 1 << leanings.length; bits++) {
    let [pd, pp] = [0.5, 0.5];
    leanings.forEach(([d, p], i) => {
      const on = (bits >> i) & 1;
      pd *= on ? d : 1 - d;
      pp *= on ? p : 1 - p;
    });
    accuracy += Math.max(pd, pp);
  }
  return accuracy;
}
