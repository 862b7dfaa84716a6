/** Outcome of a usage record written before its provider call and replaced after it. */
export const IN_FLIGHT = 'in_flight';
