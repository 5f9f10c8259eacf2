import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AppConfig } from '../config/schema.js';
import { ContainerRepositories } from './container-repositories.js';
import { DataStore } from './data-store.js';

export interface StatefulStackProps extends StackProps {
  readonly config: AppConfig;
  /** `primary`: table (global, replica in DR), buckets replicating to DR, ECR. `dr`: replica buckets. */
  readonly role: 'primary' | 'dr';
}

/**
 * Everything that must survive a redeploy, apart from the services that use it: deployed first,
 * changed rarely, its stateful logical ids pinned (see DataStore). In prod every resource has
 * deletion protection / RETAIN.
 */
export class StatefulStack extends Stack {
  readonly data: DataStore;
  readonly repositories: ContainerRepositories | undefined;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config, role } = props;
    this.data = new DataStore(this, 'Data', {
      envName: config.env,
      role,
      drRegion: config.aws.drRegion,
      retention: config.retention,
      protect: config.env === 'prod',
    });
    this.repositories = role === 'primary' ? new ContainerRepositories(this, 'Images', { envName: config.env }) : undefined;
  }
}
