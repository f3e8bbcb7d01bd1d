/*
 * Hyper-parameters travel as environment variables. Secret values never do: a secret is passed
 * by reference (Secret name and key), so it is never in Careplane's database, audit log or the
 * manifest it sends. These rules refuse what looks like a secret before anything is created.
 */

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const SECRET_NAME =
  /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH|SESSION|COOKIE|DSN|CONNECTION_?STRING)/i;

const SECRET_VALUES: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./, 'a JSON web token'],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key'],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/, 'a GitHub token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, 'a GitLab token'],
  [/\bhf_[A-Za-z0-9]{20,}/, 'a Hugging Face token'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\bsk-[A-Za-z0-9_-]{20,}/, 'an API secret key'],
  [/[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, 'a URL with a password'],
];

/**
 * Problems with one environment variable passed as a value, in words; empty when it is fine.
 * @public
 */
export function envValueProblems(name: string, value: string): string[] {
  const problems: string[] = [];
  if (!ENV_NAME.test(name) || name.length > 128) {
    problems.push(
      `'${name}' is not a valid environment variable name (letters, digits and _, not starting with a digit, at most 128)`,
    );
    return problems;
  }
  if (SECRET_NAME.test(name)) {
    problems.push(
      `${name} looks like a secret; pass it in secretEnv as a reference to a Secret (name and key), never as a value`,
    );
  }
  const hit = SECRET_VALUES.find(([re]) => re.test(value));
  if (hit) {
    problems.push(
      `the value of ${name} looks like ${hit[1]}; put it in a Secret and pass it in secretEnv by name`,
    );
  }
  if (value.length > 4096) {
    problems.push(`the value of ${name} is longer than 4096 characters`);
  }
  return problems;
}

/**
 * Whether a string is a valid environment variable name.
 * @public
 */
export function isEnvName(name: string): boolean {
  return ENV_NAME.test(name) && name.length <= 128;
}
