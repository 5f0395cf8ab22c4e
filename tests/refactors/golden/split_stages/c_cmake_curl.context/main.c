#include <curl/curl.h>
int main(void) { curl_global_init(0); return 0; }
