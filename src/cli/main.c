#include "jerry/jerry.h"
int main(void) { return 0; }
