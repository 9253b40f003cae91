"""The classroom: facilitator mode's vote step, the crash-safe session record, the class report."""
