# secrets.nix — agenix rules: which recipients each encrypted file is for.
#
# Only public recipients live here; the server's identity stays on the server.
# Edit a secret with `agenix -e <path>` from this folder, or encrypt by hand:
#   age -r age1dw29222anuscqtqnf6e29zyh5yhfkpuqjt3ht7j9n0wd3vd07egsucq724 \
#     -o domains/secrets/parts/server/n8n-env.age < /tmp/n8n-env
let
  server = "age1dw29222anuscqtqnf6e29zyh5yhfkpuqjt3ht7j9n0wd3vd07egsucq724";
in
{
  "domains/secrets/parts/server/postgres-env.age".publicKeys = [ server ];
  "domains/secrets/parts/server/n8n-env.age".publicKeys = [ server ];
  "domains/secrets/parts/server/paperless-env.age".publicKeys = [ server ];
}
