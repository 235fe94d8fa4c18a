// The AppHost (and so the whole-app tests) runs the machine's PostgreSQL through setpriv and Unix file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
