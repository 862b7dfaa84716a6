import { describe, expect, it } from '@jest/globals';
import {
  attemptReservationId,
  IN_FLIGHT,
  PREPARED,
  preparedRecordId,
} from '../../../shared/llm/attempt-outcomes';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const step = '6f1c3f4e-52b1-4b0e-9d0a-6a8e3f0b7c21';

describe('prepared attempts (ADR 186)', () => {
  it('name their record by step and execution alone: a UUID, the same every time', () => {
    // Act
    const id = preparedRecordId(step, 'arn:exec:1');

    // Assess
    expect(id).toMatch(UUID);
    expect(preparedRecordId(step, 'arn:exec:1')).toBe(id);
    expect(preparedRecordId(step, 'arn:exec:2')).not.toBe(id);
  });

  it('reserve under a key of their own, so a task that walks again reserves afresh', () => {
    // Act
    const ids = [IN_FLIGHT, PREPARED].map((outcome) =>
      attemptReservationId({ stepId: step, executionId: 'e', attempt: 1, outcome }),
    );

    // Assess
    expect(ids).toEqual([`${step}:e:1`, `${step}:e:1:prepared`]);
  });
});
