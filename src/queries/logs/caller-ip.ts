// Caller addresses as Azure logs them: RequestResponse rows carry CallerIPAddress with the last
// IPv4 octet already masked ("81.2.69.***"). A value that arrives unmasked (another pipeline, a
// simulated workspace) is masked the same way before anyone sees it, so the bot never shows more
// of an address than Azure itself does.

const IPV4 = /^(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}$/;

/** The address with its last IPv4 octet (or last IPv6 group) replaced by `***`; masked values unchanged. */
export function maskCallerIp(value: string): string {
  if (value.endsWith("***")) return value;
  const v4 = IPV4.exec(value);
  if (v4) return `${v4[1] ?? ""}.***`;
  const lastColon = value.lastIndexOf(":");
  if (lastColon >= 0) return `${value.slice(0, lastColon)}:***`;
  return value;
}

/** The same masking in KQL, so addresses are grouped (and leave the workspace) masked. */
export const KQL_MASKED_CALLER = [
  "case(",
  'isempty(CallerIPAddress), "(not logged)", ',
  'CallerIPAddress endswith "***", CallerIPAddress, ',
  'CallerIPAddress matches regex @"^\\d{1,3}(\\.\\d{1,3}){3}$", replace_regex(CallerIPAddress, @"\\.\\d{1,3}$", ".***"), ',
  'CallerIPAddress contains ":", replace_regex(CallerIPAddress, @":[^:]*$", ":***"), ',
  "CallerIPAddress)",
].join("");
