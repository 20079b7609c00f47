import { randomInt } from 'node:crypto';

/** The clock, injectable so specs control time. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Generates AWS-shaped unique ids, injectable so specs control them. */
export abstract class IdGenerator {
  /** `prefix` followed by `length` upper-case letters and digits, e.g. `AIDA` + 17. */
  abstract next(prefix: string, length?: number): string;
}

export class RandomIdGenerator extends IdGenerator {
  next(prefix: string, length = 17): string {
    let id = prefix;
    for (let i = 0; i < length; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
    return id;
  }
}
