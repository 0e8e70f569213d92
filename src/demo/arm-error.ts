// An Azure Resource Manager error answer: the status and the `{"error":{code,message}}` body
// the SDK turns into a RestError with `details`.

export class ArmError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "ArmError";
    this.status = status;
    this.code = code;
  }

  body(): string {
    return JSON.stringify({ error: { code: this.code, message: this.message } });
  }
}

export function badRequest(message: string): ArmError {
  return new ArmError(400, "BadRequest", message);
}
