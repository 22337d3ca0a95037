/*
 * The C zlib limit for exact ZIP-FIT scoring: the gzip length of x+y for every (source, target)
 * pair, computed by the system zlib as fast as C allows. One reused z_stream per thread
 * (deflateInit2 once, deflateReset per pair), x+y handed to deflate in one Z_FINISH call.
 *
 * Build: cc -O2 -pthread -o zlib_limit zlib_limit.c -lz
 * Usage: zlib_limit <pairs.bin> <lengths.out> [threads=2] [level=9] [windowBits=31]
 *
 * pairs.bin (little-endian): int32 nx, int32 ny, then nx sources and ny targets, each as
 * int32 length + bytes. Pair (i, j) is source i followed by target j; lengths.out receives
 * nx*ny int32 compressed lengths in that order (i major). Prints one line:
 *   pairs=<n> seconds=<s> pairs_per_s=<r> zlib=<version> sum=<sum of lengths>
 * The time covers only the compression loop (not reading or writing the files).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

typedef struct { uint8_t *data; int32_t len; } item;

static item *xs, *ys;
static int32_t nx, ny;
static int32_t *lengths;
static int level = 9, wbits = 31;
static int32_t next_source; /* next source index to claim (work shared dynamically) */
static pthread_mutex_t claim = PTHREAD_MUTEX_INITIALIZER;

static void die(const char *what) { fprintf(stderr, "zlib_limit: %s\n", what); exit(1); }

static item *read_items(FILE *f, int32_t n)
{
    item *it = calloc((size_t)n, sizeof(item));
    if (!it) die("out of memory");
    for (int32_t i = 0; i < n; i++) {
        if (fread(&it[i].len, 4, 1, f) != 1 || it[i].len < 0) die("truncated pairs file");
        it[i].data = malloc((size_t)it[i].len + 1);
        if (!it[i].data || fread(it[i].data, 1, (size_t)it[i].len, f) != (size_t)it[i].len) die("truncated pairs file");
    }
    return it;
}

static void *worker(void *arg)
{
    (void)arg;
    int32_t maxx = 0, maxy = 0;
    for (int32_t i = 0; i < nx; i++) if (xs[i].len > maxx) maxx = xs[i].len;
    for (int32_t j = 0; j < ny; j++) if (ys[j].len > maxy) maxy = ys[j].len;
    size_t cap = (size_t)maxx + (size_t)maxy;
    uint8_t *in = malloc(cap + 1);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, level, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY) != Z_OK) die("deflateInit2 failed");
    size_t outCap = deflateBound(&z, (uLong)cap) + 64;
    uint8_t *out = malloc(outCap);
    if (!in || !out) die("out of memory");
    for (;;) {
        pthread_mutex_lock(&claim);
        int32_t i = next_source++;
        pthread_mutex_unlock(&claim);
        if (i >= nx) break;
        memcpy(in, xs[i].data, (size_t)xs[i].len);
        for (int32_t j = 0; j < ny; j++) {
            memcpy(in + xs[i].len, ys[j].data, (size_t)ys[j].len);
            deflateReset(&z);
            z.next_in = in;
            z.avail_in = (uInt)(xs[i].len + ys[j].len);
            z.next_out = out;
            z.avail_out = (uInt)outCap;
            if (deflate(&z, Z_FINISH) != Z_STREAM_END) die("deflate did not finish in one call");
            lengths[(size_t)i * ny + j] = (int32_t)z.total_out;
        }
    }
    deflateEnd(&z);
    free(in);
    free(out);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 3) die("usage: zlib_limit <pairs.bin> <lengths.out> [threads=2] [level=9] [windowBits=31]");
    int threads = argc > 3 ? atoi(argv[3]) : 2;
    if (argc > 4) level = atoi(argv[4]);
    if (argc > 5) wbits = atoi(argv[5]);
    if (threads < 1 || threads > 256) die("threads must be 1..256");
    FILE *f = fopen(argv[1], "rb");
    if (!f) die("cannot open the pairs file");
    if (fread(&nx, 4, 1, f) != 1 || fread(&ny, 4, 1, f) != 1 || nx < 0 || ny < 0) die("bad pairs file header");
    xs = read_items(f, nx);
    ys = read_items(f, ny);
    fclose(f);
    lengths = malloc((size_t)nx * (size_t)ny * 4 + 4);
    if (!lengths) die("out of memory");

    pthread_t *tid = malloc(sizeof(pthread_t) * (size_t)threads);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int t = 0; t < threads; t++) pthread_create(&tid[t], NULL, worker, NULL);
    for (int t = 0; t < threads; t++) pthread_join(tid[t], NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;

    long long sum = 0;
    size_t pairs = (size_t)nx * (size_t)ny;
    for (size_t k = 0; k < pairs; k++) sum += lengths[k];
    FILE *o = fopen(argv[2], "wb");
    if (!o || fwrite(lengths, 4, pairs, o) != pairs || fclose(o) != 0) die("cannot write the lengths file");
    printf("pairs=%zu seconds=%.6f pairs_per_s=%.1f zlib=%s sum=%lld\n", pairs, seconds, pairs / seconds, zlibVersion(), sum);
    return 0;
}
