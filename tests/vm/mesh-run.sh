#!/bin/sh
# make meshtest: a whole AMPRNet in one VM (tests/vm/guest-mesh.sh) on the
# harness of tests/vm/run.sh, which does the prerequisites, the kernel, the
# image, the boot and the verdict.  MESH_SITES (default 24, 6 to 200)
# sets the number of sites; the outputs go to the cache as mesh-*.
sites=${MESH_SITES:-24}
case $sites in
''|*[!0-9]*)
	echo "tests/vm/mesh-run.sh: MESH_SITES must be a number" >&2
	exit 1 ;;
esac
VM_SUITE=guest-mesh.sh VM_NAME=mesh VM_MEMORY=${VM_MEMORY:-2048} \
    VM_TIMEOUT=${VM_TIMEOUT:-1500} VM_APPEND="MESH_SITES=$sites" \
    exec sh "$(dirname "$0")/run.sh"
