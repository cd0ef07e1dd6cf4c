"""Answer schemas (pydantic): the exact JSON each route answers, for the OpenAPI document and its checks."""
from dashboard.api.answers.callbacks import (CallbackAttemptOut, CallbackAttemptSavedOut, CallbackDetailOut,
                                             CallbackListOut, CallbackOut)
from dashboard.api.answers.common import ABSENT, AreaOut, Closed, ErrorBodyOut, ErrorDetailOut, ErrorOut
from dashboard.api.answers.entities import (CandidateOut, CandidatesOut, CrewOut, CrewSavedOut, DeviceOut, KpisOut,
                                            OutageListOut, OutageSplitOut, TopologyOut, TopologySavedOut,
                                            LinkedReportOut, OutageOut, OutageSavedOut, QueueOut, SeatOut,
                                            SnapshotWorkOrderOut, TimelineEntryOut, WorkOrderDetailOut,
                                            WorkOrderListOut, WorkOrderOut)
from dashboard.api.answers.ingest import (BatchErrorOut, BatchItemOut, BatchItemRejectedOut, BatchSummaryOut,
                                          FaultBatchOut, FaultItemOut, FaultItemRejectedOut, FaultOut)
from dashboard.api.answers.notices import (CareCustomerOut, CareCustomersOut, ContactOut, GridContactsOut, LiaisonOut, NotificationOut,
                                           NotificationsOut, NotifiedOut)
from dashboard.api.answers.tickets import (OrderTicketOut, TicketBatchOut, TicketDetailOut, TicketEventOut,
                                           TicketItemOut, TicketItemRejectedOut, TicketListOut, TicketLiveOut,
                                           TicketOut, TicketSavedOut)
from dashboard.api.answers.reliability import MedDayOut, MedOut, ReliabilityIndicesOut, ReliabilityOut
from dashboard.api.answers.reading import (AuditEntryOut, AuditOut, BusHealthOut, ChangeOut, DatabaseHealthOut,
                                           GridFeatureOut, GridPropertiesOut, GridsOut, HealthOut, OpenApiOut,
                                           SessionOut, SessionsOut, SnapshotOut, UpdateOut, UpdatesOut)

__all__ = ["MedDayOut", "MedOut", "ReliabilityIndicesOut", "ReliabilityOut",
           "CallbackAttemptOut", "CallbackAttemptSavedOut", "CallbackDetailOut", "CallbackListOut", "CallbackOut",
           "OrderTicketOut", "TicketBatchOut", "TicketItemOut", "TicketItemRejectedOut", "TicketDetailOut",
           "TicketEventOut", "TicketListOut", "TicketLiveOut", "TicketOut", "TicketSavedOut",
           "CareCustomerOut", "CareCustomersOut", "ContactOut", "GridContactsOut", "LiaisonOut", "NotificationOut", "NotificationsOut", "NotifiedOut",
           "ABSENT", "AreaOut", "AuditEntryOut", "AuditOut", "BatchErrorOut", "BatchItemOut", "BatchItemRejectedOut", "BatchSummaryOut",
           "BusHealthOut", "CandidateOut", "CandidatesOut", "ChangeOut", "Closed", "CrewOut", "CrewSavedOut",
           "DatabaseHealthOut", "DeviceOut", "OutageListOut", "OutageSplitOut", "TopologyOut", "TopologySavedOut", "ErrorBodyOut", "ErrorDetailOut", "ErrorOut", "FaultBatchOut", "FaultItemOut",
           "FaultItemRejectedOut", "FaultOut", "GridFeatureOut", "GridPropertiesOut", "GridsOut", "HealthOut",
           "KpisOut", "LinkedReportOut", "OpenApiOut", "OutageOut", "OutageSavedOut", "QueueOut", "SeatOut",
           "SessionOut", "SessionsOut", "SnapshotOut", "SnapshotWorkOrderOut", "TimelineEntryOut", "UpdateOut",
           "UpdatesOut", "WorkOrderDetailOut", "WorkOrderListOut", "WorkOrderOut"]
