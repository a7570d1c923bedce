"""The organizer's side of a fair: live dashboard, programme report, exports."""
