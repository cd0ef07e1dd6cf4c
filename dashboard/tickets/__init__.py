"""Service tickets beyond repairs (投诉, 举报, 咨询, 业务): the pure rules — working days, limits, routing."""
