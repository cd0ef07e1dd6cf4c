"""Component ids, one home for the layouts, the callbacks and (through each page's config) the browser code."""
# The shell and every live page.
URL = "page-url"
PAGE = "page-content"
CONFIG = "page-config"  # the one channel from Python to the page's browser code: ids, rules' values, texts
SOCKET = "live-socket"
META = "live-meta"
TICK = "live-tick"
CLOCK = "live-clock"
LINK = "live-link"
WALL_STARTED = "wall-started"
CONSOLE_STARTED = "console-started"
NOOP = "page-noop"  # the output of browser functions that change nothing Dash shows

# The wall.
MAP = "wall-map"
KPIS = "wall-kpis"
SEATS = "wall-seats"
QUEUES = "wall-queues"
UPCOMING = "wall-upcoming"
MAP_STAMP = "wall-map-stamp"
CANVAS = "wall-canvas"
MEASURE = "wall-measure"
ALARMS = "wall-alarms"
SOUND = "wall-sound"
LEGEND = "wall-legend"
DUTY = "wall-duty"  # the header's line from the duty roster (值班)

# The console.
GRID = "console-grid"
FILTERS = "console-filters"
F_DISTRICT = "console-f-district"
F_STATUS = "console-f-status"
F_CATEGORY = "console-f-category"
F_LEVEL = "console-f-level"
F_OVERDUE = "console-f-overdue"
F_SEARCH = "console-f-search"
SELECTED = "console-selected"
DETAIL = "console-detail"
CANDIDATES = "console-candidates"
ACTIONS = "console-actions"
MESSAGE = "console-message"
REASON = "console-reason"
MERGE_INTO = "console-merge-into"
MERGE_GO = "console-merge-go"
CONFIRM = "console-confirm"
REFRESH = "console-refresh"
COUNT = "console-count"
CMAP = "console-map"
# The console's 研判 side: the list's tabs, the outage list and desk, the screening lane.
TAB = "console-tab"
ORDERS_PANE = "console-orders-pane"
OUTAGES_PANE = "console-outages-pane"
LANE = "console-lane"
OGRID = "console-outage-grid"
BOARD_TICK = "console-board-tick"  # bumped by the browser (at most once a second) when outages or orders moved
BOARD_SEEN = "console-board-seen"  # what the list and lane show now, so an unchanged answer redraws nothing
CONSOLE_SIDE = "console-side"
ORDER_DESK = "console-order-desk"
OUTAGE_DESK = "console-outage-desk"
OUTAGE_SELECTED = "console-outage-selected"
OUTAGE_LIVE = "console-outage-live"  # bumped by the browser when the selected outage changed
OUTAGE_DONE = "console-outage-done"  # bumped after a decision: the desk reloads
OUTAGE_DETAIL = "console-outage-detail"
OUTAGE_ACTIONS = "console-outage-actions"
OUTAGE_DIAGRAM = "console-outage-diagram"
O_NOTE = "console-outage-note"
# The console's service tickets (投诉, 举报, 咨询, 业务): their tab's list and desk.
TICKETS_PANE = "console-tickets-pane"
TICKET_LIST = "console-ticket-list"
TICKET_DESK = "console-ticket-desk"
TICKET_DETAIL = "console-ticket-detail"
TICKET_ACTIONS = "console-ticket-actions"
TICKET_SELECTED = "console-ticket-selected"
TICKET_DONE = "console-ticket-done"  # bumped after a move: the list and desk reload
TICKET_NOTE = "console-ticket-note"
TICKET_SEEN = "console-ticket-seen"  # what the list shows now, so an unchanged answer redraws nothing
O_CONFIRM = "console-outage-confirm"
O_MOVE_TO = "console-outage-move-to"
O_MOVE_GO = "console-outage-move-go"
O_SPLIT_PICK = "console-outage-split-pick"
O_SPLIT_GO = "console-outage-split-go"
O_MERGE_INTO = "console-outage-merge-into"
O_MERGE_GO = "console-outage-merge-go"
# The console's callbacks (回访): the pending worklist (a tab) and the note typed on the order's desk.
CB_PANE = "console-callbacks-pane"
CB_NOTE = "console-callback-note"


def browser_ids() -> dict[str, str]:
    """Every id above, by its Python name, for the page's browser code (sent in the page's config)."""
    return {name.lower(): value for name, value in globals().items() if name.isupper() and isinstance(value, str)}

# The admin page (/admin).
ADMIN_TAB = "admin-tab"
ADMIN_PANE = "admin-pane"
ADMIN_START_GRID = "admin-start-grid"
ADMIN_GRID = "admin-grid"  # the grid picked for its contacts
ADMIN_NO_MANAGER = "admin-no-manager"
ADMIN_MISSING = "admin-missing"
ADMIN_EDITOR = "admin-editor"
ADMIN_M_NAME = "admin-m-name"
ADMIN_M_PHONE = "admin-m-phone"
ADMIN_M_EMAIL = "admin-m-email"
ADMIN_L_ADD = "admin-l-add"
ADMIN_SAVE = "admin-save"
ADMIN_CONTACT_MSG = "admin-contact-msg"
ADMIN_SAVED = "admin-saved"  # bumped after a save: the grid list and its count reload
# Liaison rows, pattern-matching: {"type": one of these, "index": n}.
L_NAME, L_PHONE, L_VILLAGE, L_EMAIL, L_REMOVE = ("admin-l-name", "admin-l-phone", "admin-l-village", "admin-l-email",
                                                 "admin-l-remove")
ADMIN_N_STATUS = "admin-n-status"
ADMIN_N_PERIOD = "admin-n-period"
ADMIN_N_TABLE = "admin-n-table"
ADMIN_N_PAGE = "admin-n-page"  # {"cursors": [None, ...], "n"}: the cursor of each page opened, newest first
ADMIN_N_NEXT = "admin-n-next"  # the next (older) page's cursor, or None
ADMIN_N_NEWER = "admin-n-newer"
ADMIN_N_OLDER = "admin-n-older"
ADMIN_N_PAGE_NO = "admin-n-page-no"
ADMIN_N_MSG = "admin-n-msg"
ADMIN_N_REFRESH = "admin-n-refresh"
ADMIN_N_RELOAD = "admin-n-reload"  # the reader's "refresh" (pending notices go out meanwhile)
ADMIN_DEAD_COUNT = "admin-dead-count"
ADMIN_REQUEUE_ALL = "admin-requeue-all"
REQUEUE = "admin-requeue"  # pattern-matching: {"type": REQUEUE, "id": notification id}
ADMIN_A_ACTION = "admin-a-action"
ADMIN_A_ACTOR = "admin-a-actor"
ADMIN_A_PERIOD = "admin-a-period"
ADMIN_A_TABLE = "admin-a-table"
ADMIN_A_PAGE = "admin-a-page"
ADMIN_A_NEXT = "admin-a-next"
ADMIN_A_NEWER = "admin-a-newer"
ADMIN_A_OLDER = "admin-a-older"
ADMIN_A_PAGE_NO = "admin-a-page-no"
ADMIN_ROSTER_CSV = "admin-roster-csv"  # the duty roster's pane
ADMIN_ROSTER_IMPORT = "admin-roster-import"
ADMIN_ROSTER_MSG = "admin-roster-msg"
ADMIN_ROSTER_TABLE = "admin-roster-table"

# Replay walls (docs/replay.md).
REPLAY_BANNER = "replay-banner"
REPLAY_PLAY = "replay-play"  # pattern-matching {"type": REPLAY_PLAY, "index": "<recording>:<speed>"}
REPLAY_CHOICES = "replay-choices"
REPLAY_MESSAGE = "replay-message"

# The executive page (/executive).
EXEC_PERIOD = "exec-period"  # the ranking's and map's period (PERIOD_DAYS)
EXEC_SLOW = "exec-slow"  # the period parts' slow refresh
EXEC_TODAY = "exec-today"  # today vs the same hours last week (period_kpis), for the tiles and the curves
EXEC_FIGURES = "exec-figures"  # the chosen period's by_district and by_grid
EXEC_CURVES = "exec-curves"
EXEC_CALLS = "exec-calls"
EXEC_RANKING = "exec-ranking"
EXEC_MAP = "exec-map"
EXEC_MEASURE = "exec-measure"
EXEC_REL_RANGE = "exec-rel-range"  # the reliability period: a date range, both days included
EXEC_REL_DISTRICT = "exec-rel-district"
EXEC_RELIABILITY = "exec-reliability"  # the reliability period's ASAI and commitment, for the ASAI tile
EXEC_ROSTERED = "exec-rostered"  # seats rostered now per queue (the roster's seat shifts by team)
EXEC_KEPT = "exec-kept"  # bumped when the browser has put the two stores above aside for the tiles
EXEC_REL_TABLE = "exec-rel-table"
EXEC_REL_CHART = "exec-rel-chart"
EXEC_STAFFING = "exec-staffing"
EXEC_DUTY = "exec-duty"
EXEC_STAMP = "exec-stamp"
EXEC_TILES = "exec-tiles"
EXEC_STORMS = "exec-storms"
