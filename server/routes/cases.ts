import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AGE_BANDS, GENDERS, RESIDENCE_STATUSES, type Locale } from '../domain/enums.js';
import { assertCan, can } from '../domain/actor.js';
import {
  caseFormValues,
  createCase,
  findCaseFor,
  listCaseDisbursements,
  listCaseOrganizations,
  readCaseFor,
  updateCase,
  type CaseIdentity,
  type CaseRecord,
} from '../domain/cases.js';
import { Forbidden, InvalidInput } from '../domain/errors.js';
import { identityNeedsReason } from '../domain/identity-policy.js';
import { REVEAL_REASONS, revealCaseIdentity } from '../domain/identity-reveals.js';
import { createFieldCipher } from '../domain/field-crypto.js';
import { FORM_KEY_PATTERN, isKeyUsed, newFormKey } from '../domain/idempotency.js';
import { countriesByName, nationalityName } from '../domain/nationalities.js';
import { PREFECTURES, prefectureName } from '../domain/prefectures.js';
import { CASE_FORM_FIELDS, editCaseForm, newCaseForm } from '../forms/case.js';
import { revealForm } from '../forms/identity-reveal.js';
import { parseForm, textValue, type FieldErrors } from '../forms/parse.js';
import type { Translate } from '../i18n/index.js';
import { dataLocale } from '../i18n/languages.js';
import { pathId } from '../forms/params.js';

type Option = { value: string; label: string };

/** The fixed lists of the case form, labelled in the viewer's language; '' is "not given". */
function caseChoices(t: Translate, locale: Locale, organizations: { id: number; code: string; name: string }[] | null) {
  const none: Option = { value: '', label: t('cases.chooseNone') };
  const labelled = (prefix: string, values: readonly string[]): Option[] => [none, ...values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }))];
  return {
    gender: labelled('gender', GENDERS),
    ageBand: labelled('ageBand', AGE_BANDS),
    residenceStatus: labelled('residenceStatus', RESIDENCE_STATUSES),
    nationality: [none, { value: 'unknown', label: t('nationality.unknown') }, ...countriesByName(locale).map((c) => ({ value: c.code, label: c.name }))],
    prefecture: [none, ...PREFECTURES.map((p) => ({ value: p.code, label: p[dataLocale(locale)] })), { value: 'unknown', label: t('prefecture.unknown') }],
    organizationId: organizations && [
      { value: '', label: t('cases.chooseOrganization') },
      ...organizations.map((o) => ({ value: String(o.id), label: `${o.name} (${o.code})` })),
    ],
    status: [
      { value: 'open', label: t('cases.status.open') },
      { value: 'closed', label: t('cases.status.closed') },
    ],
  };
}

/** The profile as the case page lists it: label and display value. */
function profileRows(c: CaseRecord, t: Translate, locale: Locale): { label: string; value: string }[] {
  const or = (v: string | null, show: (v: string) => string) => (v === null ? t('cases.notSet') : show(v));
  return [
    { label: t('cases.householdSize'), value: t('cases.householdSize.value', { count: c.householdSize }) },
    { label: t('cases.gender'), value: or(c.gender, (v) => t(`gender.${v}`)) },
    { label: t('cases.ageBand'), value: or(c.ageBand, (v) => t(`ageBand.${v}`)) },
    { label: t('cases.nationality'), value: or(c.nationality, (v) => (v === 'unknown' ? t('nationality.unknown') : nationalityName(v, locale))) },
    { label: t('cases.residenceStatus'), value: or(c.residenceStatus, (v) => t(`residenceStatus.${v}`)) },
    { label: t('cases.prefecture'), value: or(c.prefecture, (v) => prefectureName(v, locale) ?? t('prefecture.unknown')) },
  ];
}

function storedValues(c: CaseRecord, identity: CaseIdentity): Record<string, string> {
  return {
    householdSize: String(c.householdSize),
    gender: c.gender ?? '',
    ageBand: c.ageBand ?? '',
    nationality: c.nationality ?? '',
    residenceStatus: c.residenceStatus ?? '',
    prefecture: c.prefecture ?? '',
    alias: identity.alias ?? '',
    contact: identity.contact ?? '',
    notes: identity.notes ?? '',
    status: c.status,
  };
}

/** Everything typed, as typed (strings only), for a re-rendered form. */
const typedValues = (raw: Record<string, unknown>) => Object.fromEntries(CASE_FORM_FIELDS.map((f) => [f, textValue(raw, f)]));

export async function caseRoutes(app: FastifyInstance): Promise<void> {
  const deps = { cipher: createFieldCipher(app.config.dataKey, app.config.previousDataKeys), clock: app.clock };

  const renderNew = (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: FieldErrors, key: string) => {
    const actor = request.actor!;
    const organizations = actor.role === 'coordinator' ? listCaseOrganizations(app.db) : null;
    return reply.code(Object.keys(errors).length > 0 ? 422 : 200).view('cases/new.eta', {
      title: request.t('cases.newTitle'),
      values,
      errors,
      idempotencyKey: key,
      choices: caseChoices(request.t, request.locale, organizations),
    });
  };

  const renderEdit = (request: FastifyRequest, reply: FastifyReply, record: CaseRecord, values: Record<string, string>, errors: FieldErrors) =>
    reply.code(Object.keys(errors).length > 0 ? 422 : 200).view('cases/edit.eta', {
      title: request.t('cases.editTitle', { code: record.code }),
      record,
      values,
      errors,
      choices: caseChoices(request.t, request.locale, null),
      identityLocked: identityNeedsReason(app.db, request.actor!, record),
    });

  app.get('/cases/new', async (request, reply) => {
    assertCan(request.actor!, 'case.create');
    return renderNew(request, reply, { householdSize: '1' }, {}, newFormKey());
  });

  app.post('/cases', async (request, reply) => {
    const actor = request.actor!;
    assertCan(actor, 'case.create');
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const submittedKey = textValue(raw, 'idempotencyKey');
    // A form shown again keeps its key unless that key already made a case.
    const keyFor422 = FORM_KEY_PATTERN.test(submittedKey) && !isKeyUsed(app.db, submittedKey, actor.userId) ? submittedKey : newFormKey();
    const form = parseForm(newCaseForm, raw);
    if (!form.ok) return renderNew(request, reply, typedValues(form.values), form.errors, keyFor422);
    try {
      const { location, replayed } = createCase(app.db, actor, form.data, deps);
      if (!replayed) reply.flash('success', 'cases.created');
      return reply.redirect(location, 303);
    } catch (error) {
      if (error instanceof InvalidInput) return renderNew(request, reply, typedValues(raw), error.fieldErrors, keyFor422);
      throw error;
    }
  });

  type Shown = { record: CaseRecord; organizationName: string; identity: CaseIdentity | null; revealable?: boolean };
  const renderShow = (
    request: FastifyRequest,
    reply: FastifyReply,
    shown: Shown,
    reveal: { revealed?: boolean; values?: Record<string, string>; errors?: FieldErrors } = {},
  ) => {
    const actor = request.actor!;
    const { record } = shown;
    return reply.code(reveal.errors ? 422 : 200).view('cases/show.eta', {
      ...shown,
      title: record.code,
      profile: profileRows(record, request.t, request.locale),
      disbursements: listCaseDisbursements(app.db, actor, record.id),
      canEdit: can(actor, 'case.update', record),
      canDisburse: can(actor, 'disbursement.create', record),
      reveal: { reasons: REVEAL_REASONS, values: {}, errors: {}, ...reveal },
    });
  };

  app.get('/cases/:id', async (request, reply) => renderShow(request, reply, readCaseFor(app.db, request.actor!, pathId(request), deps)));

  // 「本人情報を表示」: identity for this response only, the reason audited (never a redirect, never a URL).
  app.post('/cases/:id/reveal', async (request, reply) => {
    const actor = request.actor!;
    const id = pathId(request);
    const form = parseForm(revealForm, request.body);
    if (!form.ok) {
      const shown = readCaseFor(app.db, actor, id, deps);
      if (!shown.revealable) throw new Forbidden();
      return renderShow(request, reply, shown, {
        values: { reason: textValue(form.values, 'reason'), reasonText: textValue(form.values, 'reasonText') },
        errors: form.errors,
      });
    }
    try {
      return renderShow(request, reply, revealCaseIdentity(app.db, actor, id, { code: form.data.reason, text: form.data.reasonText }, deps), {
        revealed: true,
      });
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      return renderShow(request, reply, readCaseFor(app.db, actor, id, deps), {
        values: { reason: form.data.reason, reasonText: form.data.reasonText },
        errors: error.fieldErrors,
      });
    }
  });

  app.get('/cases/:id/edit', async (request, reply) => {
    const { record, identity } = caseFormValues(app.db, request.actor!, pathId(request), deps);
    return renderEdit(request, reply, record, storedValues(record, identity), {});
  });

  app.post('/cases/:id', async (request, reply) => {
    const actor = request.actor!;
    // Scope first: another group's case is a 404 even when the form is invalid.
    const record = findCaseFor(app.db, actor, pathId(request));
    assertCan(actor, 'case.update', record);
    const form = parseForm(editCaseForm, request.body);
    if (!form.ok) return renderEdit(request, reply, record, typedValues(form.values), form.errors);
    updateCase(app.db, actor, record.id, form.data, deps);
    reply.flash('success', 'cases.updated');
    return reply.redirect(`/cases/${record.id}`, 303);
  });
}
