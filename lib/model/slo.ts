import { BURN_WINDOWS, BurnWindow, SLO_PERIOD_HOURS } from '../catalog/slo';

/** One burn-rate alert of an SLO: its windows, computed factor and threshold. */
export interface BurnAlert extends BurnWindow {
  /** How many times faster than the period allows the budget burns: share × period / long window. */
  readonly factor: number;
  /** The error budget, 1 − availability. */
  readonly budget: number;
  /** factor × budget: the error ratio both windows must exceed. */
  readonly threshold: number;
}

/** A float without binary noise (1 − 0.999 = 0.0010000000000000009 → 0.001). */
export function clean(x: number): number {
  return Number(x.toPrecision(12));
}

/** The burn-rate alerts of an availability objective (0.999 → budget 0.001: 14.4×, 6×, 1×). */
export function burnAlerts(availability: number): BurnAlert[] {
  const budget = clean(1 - availability);
  return BURN_WINDOWS.map((w) => {
    const factor = clean(w.budgetShare * SLO_PERIOD_HOURS / w.longHours);
    return { ...w, factor, budget, threshold: clean(factor * budget) };
  });
}
