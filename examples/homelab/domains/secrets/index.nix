# domains/secrets/index.nix — every age-encrypted file the server decrypts.
#
# agenix decrypts each one at activation to /run/agenix/<name>, readable by
# root only unless owner/mode say otherwise. Containers read them through
# environmentFiles, so Podman (root) is the only reader.
{ ... }:
{
  age.secrets."postgres-env" = {
    file = ./parts/server/postgres-env.age;
    mode = "0400";
  };

  age.secrets."n8n-env" = {
    file = ./parts/server/n8n-env.age;
    mode = "0400";
  };

  age.secrets."paperless-env" = {
    file = ./parts/server/paperless-env.age;
    mode = "0400";
  };
}
