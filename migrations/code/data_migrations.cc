#include "migrations/code/data_migrations.h"

#include <memory>

#include "migrations/code/code_digests.h"  // generated
#include "migrations/code/default_sequence_messaging.h"
#include "migrations/code/timers_timezone.h"

namespace rehearse {

Status RegisterDataMigrations(DataMigrationRegistry* registry) {
  REHEARSE_RETURN_IF_ERROR(registry->Register(TimersTimezone::kVersion,
                                              std::make_unique<TimersTimezone>(),
                                              TimersTimezone::kName, kCodeDigest0001));
  return registry->Register(DefaultSequenceMessaging::kVersion,
                            std::make_unique<DefaultSequenceMessaging>(),
                            DefaultSequenceMessaging::kName, kCodeDigest0003);
}

}  // namespace rehearse
