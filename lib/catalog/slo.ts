/**
 * Multi-window, multi-burn-rate alerting, from Google's SRE workbook, "Alerting on SLOs", table 5-8
 * ("Recommended parameters for a 99.9% SLO alerting configuration"):
 * https://sre.google/workbook/alerting-on-slos/#6-multiwindow-multi-burn-rate-alerts
 * An alert fires when both its long and its short window burn the error budget `factor` times
 * faster than the period allows; factor = share of the period's budget × period / long window.
 */
export interface BurnWindow {
  readonly long: string;
  readonly longHours: number;
  readonly short: string;
  /** Share of the period's error budget spent within `long` when it fires. */
  readonly budgetShare: number;
  readonly severity: 'critical' | 'warning';
  /**
   * How long both windows must stay above the threshold before the alert fires: a short hold
   * against a single bad evaluation for the pages, an hour for the ticket (the workbook's 3-day
   * window reacts slowly anyway).
   */
  readonly for: string;
}

/** The SLO period: 30 days (the workbook's, and the reference instance's monthly promise). */
export const SLO_PERIOD_HOURS = 30 * 24;

export const BURN_WINDOWS: readonly BurnWindow[] = [
  { long: '1h', longHours: 1, short: '5m', budgetShare: 0.02, severity: 'critical', for: '2m' },
  { long: '6h', longHours: 6, short: '30m', budgetShare: 0.05, severity: 'critical', for: '2m' },
  { long: '3d', longHours: 72, short: '6h', budgetShare: 0.10, severity: 'warning', for: '1h' },
];

/** How often the SLO's recording rules and alerts are evaluated: the shortest window (5m) spans five evaluations. */
export const SLO_RULE_INTERVAL = '1m';

/** Every window a recording rule is kept for. */
export const SLO_RATE_WINDOWS: readonly string[] = ['5m', '30m', '1h', '6h', '3d'];
