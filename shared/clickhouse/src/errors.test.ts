import { describe, expect, it } from 'vitest';
import { classifyFailure, clickHouseErrorCode, describeFailure } from './errors.js';

// Messages as the two engines really phrase them (seen in the suite's runs).
const legacy = new Error("Code: 49, e.displayText() = DB::Exception: Unknown element 'Z' for type Enum8('' = 0, 'A' = 1): (while read the value of key k), e.what() = DB::Exception");
const current = Object.assign(new Error("Unknown element 'Z' for enum, maybe you meant: ['A']"), { code: '691', type: 'UNKNOWN_ELEMENT_OF_ENUM' });

describe('classifyFailure', () => {
  it('blames the rows for parse, type and enum errors on both engines', () => {
    expect(clickHouseErrorCode(legacy)).toBe(49);
    expect(classifyFailure(legacy)).toBe('rejected');
    expect(classifyFailure(current)).toBe('rejected');
    expect(classifyFailure(new Error('Code: 27, e.displayText() = DB::Exception: Cannot parse input'))).toBe('rejected');
  });

  it('treats network failures and overload as unavailable, other server errors as server', () => {
    expect(classifyFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' }))).toBe('unavailable');
    expect(classifyFailure(new Error('Timeout error.'))).toBe('unavailable');
    expect(classifyFailure(new Error('Code: 241, e.displayText() = DB::Exception: Memory limit exceeded'))).toBe('unavailable');
    expect(classifyFailure(new Error("Code: 60, e.displayText() = DB::Exception: Table x.steps doesn't exist., e.what() = DB::Exception"))).toBe('server');
  });

  it('describes a failure on one line with its code', () => {
    expect(describeFailure(legacy)).toBe("Code 49: Unknown element 'Z' for type Enum8('' = 0, 'A' = 1): (while read the value of key k)");
    expect(describeFailure(current)).toBe("Code 691: Unknown element 'Z' for enum, maybe you meant: ['A']");
  });
});
