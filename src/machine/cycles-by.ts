// The categories every cycle of a run is booked to (README, "The cycle
// model"): a type of its own so that the ledger, which books them, and the
// stats, which report them, both depend on it and not on each other.
export interface CyclesBy {
  execute: number;
  memory: number;
  tlb: number;
  walkS1: number;
  walkS2: number;
  exception: number;
  idle: number;
}
