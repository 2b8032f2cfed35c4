#include "migrations/code/data_migrations.h"

#include <memory>

#include "migrations/code/default_sequence_messaging.h"

namespace rehearse {

Status RegisterDataMigrations(DataMigrationRegistry* registry) {
  return registry->Register(DefaultSequenceMessaging::kVersion,
                            std::make_unique<DefaultSequenceMessaging>());
}

}  // namespace rehearse
