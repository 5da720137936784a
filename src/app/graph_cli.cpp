#include "app/graph_cli.h"
