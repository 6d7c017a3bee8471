/*
 * Test support: a PKCS#11 module that behaves like a vendor driver that crashes while signing.
 *
 * It forwards every call to a real PKCS#11 module (SoftHSM2 by default) except one, which calls
 * abort(): C_Sign unless told otherwise. Tests use it to show that a driver crash takes down only
 * the process that loaded it.
 *
 *   TODOKE_CRASH_TARGET  path of the module to forward to (default: SoftHSM2's usual places)
 *   TODOKE_CRASH_IN      the function that aborts: C_Sign (default), any other standard name
 *                        such as C_SignInit, or "none" for a plain forwarder
 *
 * Both are read once, when C_GetFunctionList is first called (pkcs11js does that at load()).
 *
 * Forwarding: C_GetFunctionList dlopens the target, takes its CK_FUNCTION_LIST from the target's
 * own C_GetFunctionList, copies it into our static list and replaces two entries: our
 * C_GetFunctionList, and the crashing function. Only C_GetFunctionList is exported.
 *
 * The struct is the PKCS#11 2.40 header that pkcs11js ships and was compiled against
 * (node_modules/pkcs11js/includes/pkcs11; build with -I that folder's parent), so our list has
 * exactly the layout pkcs11js reads. Function names and their slots come from pkcs11f.h, the
 * same X-macro list that defines CK_FUNCTION_LIST's members, so there is no hand-counted index;
 * the static asserts below pin the standard layout (C_Sign is slot 43 counting from
 * C_Initialize = 0, 68 slots in all) as a second check.
 *
 * Build: cc -shared -fPIC -O1 -I node_modules/pkcs11js/includes -o crash-module.so crash-module.c -ldl
 */
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pkcs11/pkcs11.h>

typedef void (*any_function)(void);

struct slot {
  const char *name;
  size_t offset;
};

/* Every entry of CK_FUNCTION_LIST in its declared order (no CK_NEED_ARG_LIST: names only). */
#define CK_PKCS11_FUNCTION_INFO(name) {#name, offsetof(CK_FUNCTION_LIST, name)},
static const struct slot SLOTS[] = {
#include <pkcs11/pkcs11f.h>
};
#undef CK_PKCS11_FUNCTION_INFO

#define SLOT_COUNT (sizeof(SLOTS) / sizeof(SLOTS[0]))
#define FIRST_SLOT offsetof(CK_FUNCTION_LIST, C_Initialize)
#define PTR_SIZE sizeof(any_function)

_Static_assert(SLOT_COUNT == 68, "PKCS#11 2.40 CK_FUNCTION_LIST has 68 functions");
_Static_assert(FIRST_SLOT == (sizeof(CK_VERSION) + _Alignof(any_function) - 1) / _Alignof(any_function) * _Alignof(any_function),
               "CK_FUNCTION_LIST must use the platform's natural alignment (as SoftHSM and pkcs11js on Unix do)");
_Static_assert(sizeof(CK_FUNCTION_LIST) == FIRST_SLOT + 68 * PTR_SIZE, "CK_VERSION followed by 68 function pointers");
_Static_assert(offsetof(CK_FUNCTION_LIST, C_GetFunctionList) == FIRST_SLOT + 3 * PTR_SIZE, "C_GetFunctionList is the 4th function");
_Static_assert(offsetof(CK_FUNCTION_LIST, C_SignInit) == FIRST_SLOT + 42 * PTR_SIZE, "C_SignInit is the 43rd function");
_Static_assert(offsetof(CK_FUNCTION_LIST, C_Sign) == FIRST_SLOT + 43 * PTR_SIZE, "C_Sign is the 44th function");
_Static_assert(offsetof(CK_FUNCTION_LIST, C_WaitForSlotEvent) == FIRST_SLOT + 67 * PTR_SIZE, "C_WaitForSlotEvent is the last function");

static const char *const DEFAULT_TARGETS[] = {
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib64/softhsm/libsofthsm2.so",
    "/usr/lib64/pkcs11/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
    "/opt/homebrew/lib/softhsm/libsofthsm2.so",
};

static CK_FUNCTION_LIST forwarded;
static int ready;
static const char *crash_name = "C_Sign";

static void crash(void) {
  fprintf(stderr, "todoke-pkcs11-crash: abort() in %s\n", crash_name);
  fflush(stderr);
  abort();
}

/* C_Sign with its real prototype (the default). */
static CK_RV crash_C_Sign(CK_SESSION_HANDLE session, CK_BYTE_PTR data, CK_ULONG data_len, CK_BYTE_PTR signature,
                          CK_ULONG_PTR signature_len) {
  (void)session, (void)data, (void)data_len, (void)signature, (void)signature_len;
  crash();
  return CKR_GENERAL_ERROR;
}

/*
 * Any other function named in TODOKE_CRASH_IN. Called through a pointer of another function type,
 * which C leaves undefined, but on every Unix calling convention the caller owns its arguments,
 * and this function never returns.
 */
static CK_RV crash_any(void) {
  crash();
  return CKR_GENERAL_ERROR;
}

static void *load_target(void) {
  const char *path = getenv("TODOKE_CRASH_TARGET");
  if (path && *path) {
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle) fprintf(stderr, "todoke-pkcs11-crash: cannot load TODOKE_CRASH_TARGET %s: %s\n", path, dlerror());
    return handle;
  }
  for (size_t i = 0; i < sizeof(DEFAULT_TARGETS) / sizeof(DEFAULT_TARGETS[0]); i++) {
    void *handle = dlopen(DEFAULT_TARGETS[i], RTLD_NOW | RTLD_LOCAL);
    if (handle) return handle;
  }
  fprintf(stderr, "todoke-pkcs11-crash: SoftHSM2 not found; set TODOKE_CRASH_TARGET\n");
  return NULL;
}

static const struct slot *find_slot(const char *name) {
  for (size_t i = 0; i < SLOT_COUNT; i++) {
    if (strcmp(SLOTS[i].name, name) == 0) return &SLOTS[i];
  }
  return NULL;
}

CK_DEFINE_FUNCTION(CK_RV, C_GetFunctionList)(CK_FUNCTION_LIST_PTR_PTR list) {
  if (!list) return CKR_ARGUMENTS_BAD;
  if (ready) {
    *list = &forwarded;
    return CKR_OK;
  }

  const char *wanted = getenv("TODOKE_CRASH_IN");
  if (wanted && *wanted) crash_name = wanted;
  const struct slot *target_slot = NULL;
  if (strcmp(crash_name, "none") != 0) {
    target_slot = find_slot(crash_name);
    if (!target_slot) {
      fprintf(stderr, "todoke-pkcs11-crash: TODOKE_CRASH_IN=%s is not a PKCS#11 2.40 function name\n", crash_name);
      return CKR_GENERAL_ERROR;
    }
  }

  /* Kept loaded for the life of the process, as a driver whose unloading nobody trusts would be. */
  void *handle = load_target();
  if (!handle) return CKR_GENERAL_ERROR;
  CK_C_GetFunctionList get_list = (CK_C_GetFunctionList)dlsym(handle, "C_GetFunctionList");
  if (!get_list) {
    fprintf(stderr, "todoke-pkcs11-crash: the target has no C_GetFunctionList\n");
    return CKR_GENERAL_ERROR;
  }
  CK_FUNCTION_LIST_PTR theirs = NULL;
  CK_RV rv = get_list(&theirs);
  if (rv != CKR_OK) return rv;
  if (!theirs) return CKR_GENERAL_ERROR;

  memcpy(&forwarded, theirs, sizeof(forwarded));
  forwarded.C_GetFunctionList = C_GetFunctionList;
  if (target_slot == find_slot("C_Sign")) {
    forwarded.C_Sign = crash_C_Sign;
  } else if (target_slot) {
    any_function replacement = (any_function)crash_any;
    memcpy((char *)&forwarded + target_slot->offset, &replacement, sizeof(replacement));
  }
  ready = 1;
  *list = &forwarded;
  return CKR_OK;
}
