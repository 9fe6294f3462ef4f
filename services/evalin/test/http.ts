/** The platform's assertions with the error details typed loosely, as the tests read them. */
import { expectError as platformExpectError, expectOk, type ResponseLike } from '@sicora/platform/testing/http';

export const expectError = (res: ResponseLike, status: number, code: string) => platformExpectError(res, status, code) as { code: string; message: string; details: any };
export { expectOk };
