{ lib, ... }: {
  options.hwc.server.containers.postgres = {
    enable = lib.mkEnableOption "postgres container";
    image = lib.mkOption {
      type = lib.types.str;
      default = "docker.io/library/postgres:16.8";
      description = "Container image for postgres";
    };
    shmSize = lib.mkOption {
      type = lib.types.nullOr lib.types.str;
      default = "256m";
      description = "Shared memory for the container (--shm-size); null keeps Podman's 64m";
    };
  };
}
