-- A step task that works from what its planner already read (ADR 181) checks, in the statement
-- that writes, that what it read still holds: its step still PENDING when it starts it, no other
-- step changed when it completes it, its run not cancelled. Otherwise the statement fails with
-- SQLSTATE HS409, the transaction rolls back, and the task reads afresh.
CREATE OR REPLACE FUNCTION run_unchanged(ok boolean) RETURNS boolean LANGUAGE plpgsql AS
$$ BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION 'the run changed since it was read' USING ERRCODE = 'HS409';
  END IF;
  RETURN true;
END $$;
