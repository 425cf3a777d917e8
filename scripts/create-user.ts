import { parseArgs } from 'node:util';
import { writeTransaction } from '../db/client.js';
import { ROLES, type Role } from '../db/schema.js';
import { InvalidInput } from '../server/domain/errors.js';
import { createOrganization, findOrganizationByCode } from '../server/domain/organizations.js';
import { passwordLengthProblem } from '../server/domain/passwords.js';
import { createUser } from '../server/domain/users.js';
import { fail, openScriptContext } from './context.js';

const usage =
  'usage: npm run user:create -- --email E --password-stdin --role supporter|coordinator|auditor --org CODE [--org-name NAME] [--name DISPLAY_NAME] [--admin]';

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    'password-stdin': { type: 'boolean', default: false },
    role: { type: 'string' },
    org: { type: 'string' },
    'org-name': { type: 'string' },
    name: { type: 'string' },
    admin: { type: 'boolean', default: false },
  },
  strict: true,
});

if (!values.email || !values.role || !values.org) fail(usage);
if (!values['password-stdin']) fail(`--password-stdin is required: the password is read from standard input, never from the command line.\n${usage}`);
if (!(ROLES as readonly string[]).includes(values.role)) fail(`--role must be one of ${ROLES.join(', ')}`);
if (values.admin && values.role !== 'coordinator') fail('--admin is only for coordinators');

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // Only the line ending that ends the input is dropped; the password itself is never trimmed.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const password = await readStdin();
// Refuse before anything is written, so a typo leaves no organization behind.
const passwordProblem = passwordLengthProblem(password);
if (passwordProblem) fail(passwordProblem === 'tooShort' ? 'The password must be at least 12 characters.' : 'The password must be at most 256 characters.');
const { db } = await openScriptContext();
const now = new Date();
const orgCode = values.org.toUpperCase();
let org = findOrganizationByCode(db, orgCode);
if (!org) {
  if (!values['org-name']) fail(`No organization with code ${orgCode}. Add --org-name NAME to create it.`);
  try {
    writeTransaction(db, (tx) => createOrganization(tx, null, { code: orgCode, name: values['org-name']!, prefecture: null }, now));
  } catch (error) {
    if (error instanceof InvalidInput) fail(`--org must be 2 to 6 letters A-Z (got ${orgCode}).`);
    throw error;
  }
  org = findOrganizationByCode(db, orgCode)!;
}
try {
  const id = await createUser(
    db,
    null,
    {
      email: values.email,
      displayName: values.name ?? values.email.split('@')[0]!,
      role: values.role as Role,
      organizationId: org.id,
      isAdmin: values.admin,
    },
    password,
    now,
  );
  console.log(`Created ${values.role}${values.admin ? ' (admin)' : ''} ${values.email.toLowerCase()} (user ${id}) in ${org.code} ${org.name}.`);
} catch (error) {
  if (error instanceof InvalidInput) {
    const problem = Object.values(error.fieldErrors)[0];
    fail(
      problem === 'password.tooShort'
        ? 'The password must be at least 12 characters.'
        : problem === 'password.tooLong'
          ? 'The password must be at most 256 characters.'
          : `That email address is already in use.`,
    );
  }
  throw error;
} finally {
  db.$client.close();
}
