#include <stdio.h>
#include <string.h>
#include <zlib.h>

int main(void) {
    const char *words[] = {"alpha", "beta", "gamma"};
    for (int i = 0; i < 3; i++) {
        unsigned long crc = crc32(0L, (const unsigned char *)words[i], (unsigned)strlen(words[i]));
        printf("%s %08lx\n", words[i], crc);
    }
    return 0;
}
