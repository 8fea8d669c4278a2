/* atlas-poller.c — placeholder, being written */
#include "config.h"
#include "atlas-poller.h"
