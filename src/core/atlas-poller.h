/* atlas-poller.h — placeholder, being written */
#pragma once
