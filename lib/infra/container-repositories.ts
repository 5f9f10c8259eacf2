import { RemovalPolicy, aws_ecr as ecr, type CfnResource } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EnvName } from '../config/schema.js';
import { repositoryName, type ImageName } from './names.js';

export interface ContainerRepositoriesProps {
  readonly envName: EnvName;
  /** Images kept per repository. @default 20 */
  readonly keepImages?: number;
}

/**
 * ECR repositories for the images this repo builds. They live in the stateful stack so they
 * exist before the service that pulls from them; images are built and pushed outside synth
 * (no Docker at synth time), then the service stack deploys with `-c imageTag=<tag>`:
 *
 *   docker build -f fargate/gateway/Dockerfile -t <acct>.dkr.ecr.<region>.amazonaws.com/tradeops/<env>/gateway:<tag> .
 *   docker push …   (same for fargate/ib-sim in the sim environment)
 *
 * Tags are immutable: a tag names one build forever, so a rollback is a redeploy of an old tag.
 */
export class ContainerRepositories extends Construct {
  readonly repositories: Readonly<Record<ImageName, ecr.Repository>>;

  constructor(scope: Construct, id: string, props: ContainerRepositoriesProps) {
    super(scope, id);
    const keep = props.keepImages ?? 20;
    if (!Number.isInteger(keep) || keep < 1) throw new Error(`ContainerRepositories: keepImages must be a positive integer, got ${keep}`);
    const make = (image: ImageName): ecr.Repository =>
      new ecr.Repository(this, image === 'gateway' ? 'Gateway' : 'IbSim', {
        repositoryName: repositoryName(props.envName, image),
        imageScanOnPush: true,
        imageTagMutability: ecr.TagMutability.IMMUTABLE,
        encryption: ecr.RepositoryEncryption.AES_256,
        lifecycleRules: [{ description: `keep the last ${keep} images`, maxImageCount: keep }],
        removalPolicy: RemovalPolicy.RETAIN,
      });
    this.repositories = { gateway: make('gateway'), 'ib-sim': make('ib-sim') };
    // Pinned: a repository replaced by a refactor would lose every pushed image.
    (this.repositories.gateway.node.defaultChild as CfnResource).overrideLogicalId('GatewayRepository');
    (this.repositories['ib-sim'].node.defaultChild as CfnResource).overrideLogicalId('IbSimRepository');
  }
}
