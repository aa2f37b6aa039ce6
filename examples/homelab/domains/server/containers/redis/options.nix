{ lib, ... }: {
  options.hwc.server.containers.redis = {
    enable = lib.mkEnableOption "redis container";
  };
}
