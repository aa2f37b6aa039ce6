{ lib, ... }: {
  options.hwc.server.containers.n8n = {
    enable = lib.mkEnableOption "n8n container";
    port = lib.mkOption {
      type = lib.types.port;
      default = 5678;
      description = "Port for n8n";
    };
    domain = lib.mkOption {
      type = lib.types.str;
      default = "n8n.example.com";
      description = "Public domain for the editor and webhooks";
    };
  };
}
