// The access policy a process runs with: `access:` rules and contact, and `kql.allowedUsers` folded
// in, so the conversation (every surface) and scheduled reports ask one policy.
import { AccessPolicy } from "../access/policy.ts";
import type { Config } from "./config.ts";

export function accessPolicy(config: Config): AccessPolicy {
  return new AccessPolicy({ rules: config.access.rules, kqlUsers: config.kql.allowedUsers, ...(config.access.contact === undefined ? {} : { contact: config.access.contact }) });
}
