import { hostname } from 'node:os';
import { newId } from '../common/ids.js';
import { AppConfig } from '../config/app-config.js';

/** Who this process is in the cluster; fixed for its lifetime. */
export class InstanceIdentity {
  readonly id = newId();
  readonly host = hostname();
  readonly pid = process.pid;
  readonly startedAt = Date.now();
  readonly version: string;

  constructor(config: AppConfig) {
    this.version = config.version;
  }
}
