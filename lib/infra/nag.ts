import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Registers the cdk-nag AwsSolutions pack as a validation plugin: synthesis fails on any
 * unacknowledged finding. Acknowledgements (`Validations.of(x).acknowledge({ id, reason })`)
 * live beside the resource they excuse, each with its reason (STYLE §15).
 */
export function applyNag(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}
