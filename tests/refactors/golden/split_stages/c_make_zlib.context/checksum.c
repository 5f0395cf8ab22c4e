#include <zlib.h>
int main(void) { return (int)crc32(0L, 0, 0); }
