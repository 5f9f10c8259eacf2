/**
 * When an alert threshold is reached, one rule for the risk agent, the Key Metrics dashboard and
 * the CloudWatch alarms. Read from the runbook's Key Metrics table: each warning band is closed at
 * both ends ("80-90%", "1.5-1.8x", "10-50ms", fill rate "90-95%") and critical starts strictly
 * beyond it ("> 90%", "> 1.8x", "> 50ms", "< 90%"), as the pre-trade checks already deny ("critical
 * above 90 %"). So a WARNING threshold is reached at the threshold itself and a CRITICAL one only
 * past it: a VaR utilisation of exactly 0.9 is a warning, and a daily loss of exactly the limit is
 * not yet the runbook's "loss > daily limit".
 */
export type ThresholdSeverity = 'WARNING' | 'CRITICAL';
export type ThresholdDirection = 'above' | 'below';

/**
 * @example reaches('WARNING', 'above', 0.8, 0.8) // true
 * @example reaches('CRITICAL', 'above', 0.9, 0.9) // false
 * @example reaches('CRITICAL', 'below', 0.89, 0.9) // true (fill rate under 90 %)
 */
export function reaches(severity: ThresholdSeverity, direction: ThresholdDirection, value: number, threshold: number): boolean {
  const inclusive = severity === 'WARNING';
  if (direction === 'above') return inclusive ? value >= threshold : value > threshold;
  return inclusive ? value <= threshold : value < threshold;
}

/** The CloudWatch comparison operator of the same rule (the value of aws-cdk's `ComparisonOperator`). */
export function comparisonOperatorOf(severity: ThresholdSeverity, direction: ThresholdDirection): 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanOrEqualToThreshold' | 'LessThanThreshold' {
  const inclusive = severity === 'WARNING';
  if (direction === 'above') return inclusive ? 'GreaterThanOrEqualToThreshold' : 'GreaterThanThreshold';
  return inclusive ? 'LessThanOrEqualToThreshold' : 'LessThanThreshold';
}
