/*
 * An empty ICU common-data package, built as a stand-in for Qt's 32 MB libicudata on Linux.
 *
 * libicuuc needs the symbol icudtNN_dat to exist; with this valid package of zero items every
 * ICU lookup answers "missing resource" and Qt falls back to its own code: code-point collation,
 * locale-independent case mapping, time-zone abbreviations. The desk needs nothing more (it is
 * English only and sorts nothing by locale). The compiler is given the symbol's name, e.g.
 *   cc -shared -fPIC -DICU_DATA_SYMBOL=icudt73_dat -DICU_MAJOR=73 -Wl,-soname,libicudata.so.73
 */
#include <stdint.h>

#if !defined(ICU_DATA_SYMBOL) || !defined(ICU_MAJOR)
#error "define ICU_DATA_SYMBOL (e.g. icudt73_dat) and ICU_MAJOR (e.g. 73)"
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define IS_BIG_ENDIAN 1
#else
#define IS_BIG_ENDIAN 0
#endif

struct empty_common_data {
    uint16_t header_size;      /* MappedData */
    uint8_t magic1, magic2;
    uint16_t info_size;        /* UDataInfo */
    uint16_t reserved_word;
    uint8_t is_big_endian, charset_family, sizeof_uchar, reserved_byte;
    uint8_t data_format[4];
    uint8_t format_version[4];
    uint8_t data_version[4];
    uint8_t padding[8];        /* the header is 32 bytes */
    uint32_t item_count;       /* the table of contents: no items */
};

__attribute__((visibility("default"), aligned(16)))
const struct empty_common_data ICU_DATA_SYMBOL = {
    32, 0xda, 0x27,
    20, 0,
    IS_BIG_ENDIAN, 0 /* ASCII */, 2, 0,
    {'C', 'm', 'n', 'D'},
    {1, 0, 0, 0},
    {ICU_MAJOR, 0, 0, 0},
    {0},
    0,
};
