/** Domain failures; the errors plugin maps each to one HTTP status in one place. */
export class DomainError extends Error {
  /** A message-catalog key, and values for its placeholders. */
  constructor(
    readonly messageKey: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(messageKey);
    this.name = new.target.name;
  }
}

/** Not there, or not yours: the same answer (404). */
export class NotFound extends DomainError {
  constructor() {
    super('errors.notFound');
  }
}

/** Visible but not allowed for this actor (403). */
export class Forbidden extends DomainError {
  constructor(messageKey = 'errors.forbidden') {
    super(messageKey);
  }
}

/** The record's state forbids the action: decided already, locked period, stale version (409). */
export class Conflict extends DomainError {}

/** Input that passed the form's shape but breaks a rule needing the database (422). */
export class InvalidInput extends DomainError {
  constructor(
    readonly fieldErrors: Record<string, string>,
    messageKey = 'errors.invalidInput',
  ) {
    super(messageKey);
  }
}

/** A bounded queue is full: try again shortly (503 with Retry-After). */
export class Busy extends DomainError {}
