"""lambda-tune's Python runtime client: what Lambda's own Python runtime
(awslambdaric) does inside a python3.x function, in one file with the standard
library only, so a handler written for Lambda runs unchanged in a local sandbox.

    python3 bootstrap.py                                # the runtime: reads Lambda's
                                                        # environment, loops on /next
    python3 bootstrap.py --probe <taskRoot> <handler>   # imports the handler only and
                                                        # prints one JSON line, last

Python 3.8 or newer. Behaviour follows awslambdaric's bootstrap.py,
lambda_context.py, lambda_runtime_client.py, lambda_runtime_exception.py and
lambda_runtime_marshaller.py; the comments name where a detail comes from.
"""

import importlib
import json
import logging
import math
import os
import sys
import time
import traceback

# Lambda's task root is read-only, so Python never writes __pycache__ there: the
# same here, which also leaves the user's source tree as it was. Shipped .pyc
# files are still read.
sys.dont_write_bytecode = True

API_PREFIX = "/2018-06-01/runtime"
ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"
THIS_FILE = os.path.abspath(__file__)
# awslambdaric indents traceback lines in the log with NO-BREAK SPACE so log
# viewers keep the indentation.
LOG_INDENT = "\u00a0"
# Lambda's line before every init failure, shortened: the rest is advice on
# rolling back managed runtime updates, which does not apply locally.
UNHANDLED_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code."
)


class Fault(Exception):
    """A failure Lambda reports with one of its Runtime.* types (lambda_runtime_exception.py)."""

    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"

    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace


# ---------------------------------------------------------------- the handler


def use_task_root(task_root):
    """Puts the task root first on sys.path, as `python -m awslambdaric` from /var/task does.

    Running `python3 bootstrap.py` puts this file's directory there instead:
    replace it, so that directory never lends the handler a module.
    """
    here = os.path.dirname(THIS_FILE)
    if sys.path and os.path.abspath(sys.path[0] or ".") == here:
        sys.path[0] = task_root
    else:
        sys.path.insert(0, task_root)


def load_handler(handler):
    """Imports `module.function` (or `dir/module.function`) with Lambda's error types.

    As awslambdaric's _get_handler: split at the last dot, `/` in the module
    path becomes a package dot, and an exception raised by the module itself
    propagates with its own type.
    """
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as error:
        raise Fault(Fault.MALFORMED_HANDLER_NAME, "Bad handler '{}': {}".format(handler, error))
    try:
        if module_name.split(".")[0] in sys.builtin_module_names:
            raise Fault(
                Fault.BUILT_IN_MODULE_CONFLICT,
                "Cannot use built-in module {} as a handler module".format(module_name),
            )
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as error:
        # Also a missing dependency of the handler's module: Lambda names the handler's module.
        raise Fault(
            Fault.IMPORT_MODULE_ERROR,
            "Unable to import module '{}': {}".format(module_name, error),
        )
    except SyntaxError as error:
        trace = ['  File "%s" Line %s\n    %s' % (error.filename, error.lineno, error.text)]
        raise Fault(
            Fault.USER_CODE_SYNTAX_ERROR,
            "Syntax error in module '{}': {}".format(module_name, error),
            trace,
        )
    try:
        return getattr(module, function_name)
    except AttributeError:
        raise Fault(
            Fault.HANDLER_NOT_FOUND,
            "Handler '{}' missing on module '{}'".format(function_name, module_name),
        )


# ------------------------------------------------------------ errors and logs


def make_error(message, error_type, stack_trace, request_id=None):
    # Key order and the empty defaults as awslambdaric's make_error.
    return {
        "errorMessage": message or "",
        "errorType": error_type or "",
        "requestId": request_id if request_id is not None else "",
        "stackTrace": stack_trace or [],
    }


def error_from_exception(exc_info, request_id=None):
    """The error body for an exception: its type's name, str(), and its frames as strings."""
    error_type, value, tb = exc_info
    frames = traceback.extract_tb(tb)
    # Drop the runtime's own leading frames, so the trace starts in the import
    # machinery or the handler (awslambdaric drops frames of its bootstrap.py).
    for index, frame in enumerate(frames):
        if os.path.abspath(frame.filename) != THIS_FILE:
            frames = frames[index:]
            break
    return make_error(
        str(value), error_type.__name__, traceback.format_list(frames), request_id
    )


def log_error(error):
    """Writes the error as Lambda's Python runtime logs it: `[ERROR] Type: message`, then the trace.

    Lines are joined with "\\n", as in CloudWatch (awslambdaric's telemetry log
    sink); its plain stdout sink joins them with "\\r" instead.
    """
    description = "[ERROR]"
    if error.get("errorType"):
        description += " " + error["errorType"]
    if error.get("errorMessage"):
        if error.get("errorType"):
            description += ":"
        description += " " + error["errorMessage"]
    lines = [description]
    if error.get("stackTrace") is not None:
        lines.append("Traceback (most recent call last):")
        for element in error["stackTrace"]:
            if element == "":
                lines.append("")
                continue
            for line in element.splitlines():
                stripped = line.lstrip(" ")
                lines.append(LOG_INDENT * (len(line) - len(stripped)) + stripped)
    sys.stdout.write("\n".join(lines) + "\n")


class Unbuffered:
    """Flushes after every write, as awslambdaric wraps stdout and stderr, so the
    platform sees each line while the invocation runs (between START and END)."""

    def __init__(self, stream):
        self.stream = stream

    def __getattr__(self, name):
        return getattr(self.stream, name)

    def write(self, text):
        written = self.stream.write(text)
        self.stream.flush()
        return written

    def writelines(self, lines):
        self.stream.writelines(lines)
        self.stream.flush()


current_request_id = None


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        # Lambda leaves the last request's id in place between invocations.
        record.aws_request_id = current_request_id or ""
        return True


class StdoutHandler(logging.Handler):
    def emit(self, record):
        # sys.stdout looked up at each write, as awslambdaric's log sink does.
        sys.stdout.write(self.format(record))


def setup_logging():
    """The root logger as on Lambda: `[LEVEL]\\t<UTC time>Z\\t<request id>\\t<message>`.

    The level stays Python's default (WARNING) unless AWS_LAMBDA_LOG_LEVEL sets
    one, so `logging.info` needs `setLevel(logging.INFO)` as on Lambda; and
    since the root logger has a handler, a handler's basicConfig() does nothing.
    """
    logging.Formatter.converter = time.gmtime
    handler = StdoutHandler()
    handler.setFormatter(
        logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
            "%Y-%m-%dT%H:%M:%S",
        )
    )
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    # awslambdaric reads TRACE as DEBUG and ignores names logging does not know.
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL") or ""
    level = {"TRACE": "DEBUG"}.get(level, level).upper()
    if isinstance(logging.getLevelName(level), int):
        root.setLevel(level)
    root.addHandler(handler)


# --------------------------------------------------------------- JSON bodies


class Encoder(json.JSONEncoder):
    """awslambdaric's encoder (simplejson there): Decimal, as DynamoDB returns, is a number."""

    def default(self, value):
        import decimal  # only when JSON cannot encode a value: keeps it off the init path

        if isinstance(value, decimal.Decimal):
            # simplejson writes the exact digits; the standard library can only
            # write an int, or a float (which may round a long fraction).
            if value.is_nan():
                return math.nan
            return int(value) if value == value.to_integral_value() else float(value)
        return super().default(value)


def to_json(value):
    # python3.12's runtime writes UTF-8 as is; the others escape it (lambda_runtime_marshaller.py).
    ascii_only = os.environ.get("AWS_EXECUTION_ENV") != "AWS_Lambda_python3.12"
    return Encoder(ensure_ascii=ascii_only).encode(value)


def unmarshal_event(body, content_type):
    if content_type != "application/json":
        return body
    try:
        return json.loads(body)
    except Exception as error:
        raise Fault(Fault.UNMARSHAL_ERROR, "Unable to unmarshal input: {}".format(error))


def marshal_response(response):
    if isinstance(response, bytes):
        return response, "application/unknown"
    try:
        return to_json(response).encode("utf-8"), "application/json"
    except Exception as error:
        raise Fault(Fault.MARSHAL_ERROR, "Unable to marshal response: {}".format(error))


# --------------------------------------------------------------- the context


class Fields:
    """A plain object with fixed attributes read from a dict; missing ones are None."""

    __slots__ = ()

    def __init__(self, values):
        for name in self.__slots__:
            setattr(self, name, values.get(name))

    def __repr__(self):
        fields = ",".join("{}={}".format(n, getattr(self, n)) for n in self.__slots__)
        return "{}([{}])".format(type(self).__name__, fields)


class CognitoIdentity(Fields):
    __slots__ = ("cognito_identity_id", "cognito_identity_pool_id")


class Client(Fields):
    __slots__ = (
        "installation_id",
        "app_title",
        "app_version_name",
        "app_version_code",
        "app_package_name",
    )


class ClientContext(Fields):
    __slots__ = ("custom", "env", "client")


def parse_json_header(text, name):
    try:
        return json.loads(text)
    except Exception as error:
        raise Fault(
            Fault.CONTEXT_UNMARSHAL_ERROR, "Unable to parse {} JSON: {}".format(name, error)
        )


class LambdaContext:
    """The handler's second argument, with the attributes of awslambdaric's LambdaContext."""

    def __init__(self, invocation):
        env = os.environ
        self.aws_request_id = invocation["request_id"]
        self.log_group_name = env.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = env.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = env.get("AWS_LAMBDA_FUNCTION_NAME")
        # A string, as on Lambda: it is read from the environment.
        self.memory_limit_in_mb = env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = env.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invocation["invoked_function_arn"]
        self.tenant_id = invocation["tenant_id"]
        self.client_context = None
        if invocation["client_context"]:
            values = parse_json_header(invocation["client_context"], "Client Context")
            self.client_context = ClientContext(values)
            if self.client_context.client is not None:
                self.client_context.client = Client(self.client_context.client)
        # Always an object; its fields are None without a Cognito identity.
        identity = {}
        if invocation["cognito_identity"]:
            identity = parse_json_header(invocation["cognito_identity"], "Cognito Identity")
        self.identity = CognitoIdentity(
            {
                "cognito_identity_id": identity.get("cognitoIdentityId"),
                "cognito_identity_pool_id": identity.get("cognitoIdentityPoolId"),
            }
        )
        self._deadline_ms = invocation["deadline_ms"]

    def get_remaining_time_in_millis(self):
        remaining = self._deadline_ms - int(time.time() * 1000)
        return remaining if remaining > 0 else 0

    def log(self, message):
        sys.stdout.write(str(message))

    def __repr__(self):
        names = (
            "aws_request_id",
            "log_group_name",
            "log_stream_name",
            "function_name",
            "memory_limit_in_mb",
            "function_version",
            "invoked_function_arn",
            "client_context",
            "identity",
            "tenant_id",
        )
        fields = ",".join("{}={}".format(n, getattr(self, n)) for n in names)
        return "LambdaContext([{}])".format(fields)


# ------------------------------------------------------------ the Runtime API


class RuntimeClient:
    """The Runtime API over one persistent HTTP/1.1 connection, with no timeout:
    /next waits as long as the sandbox stays idle (docs/lambda-facts.md, "Runtime API")."""

    def __init__(self, address):
        # Imported here, not at the top: the probe never talks to the API.
        import http.client

        # AWS_LAMBDA_RUNTIME_API is host:port, or host:port/path as the emulator sets it
        # (a secret path only this sandbox's runtime knows).
        host_port, _, path = address.partition("/")
        self.prefix = ("/" + path.strip("/")) if path.strip("/") else ""
        self.connection = http.client.HTTPConnection(host_port, timeout=None)
        version = "{}.{}.{}".format(*sys.version_info[:3])
        self.user_agent = "aws-lambda-python/{}-lambda-tune".format(version)

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {}, **{"User-Agent": self.user_agent})
        for attempt in (1, 2):
            try:
                self.connection.request(method, self.prefix + API_PREFIX + path, body, headers)
                response = self.connection.getresponse()
                return response, response.read()
            except ConnectionError:
                # The server may have closed the idle connection: one fresh try.
                self.connection.close()
                if attempt == 2:
                    raise

    def next(self):
        response, body = self.request("GET", "/invocation/next")
        if response.status != 200:
            raise RuntimeError("Failed to get next invocation: HTTP {}".format(response.status))
        header = response.getheader
        return {
            "request_id": header("Lambda-Runtime-Aws-Request-Id"),
            "deadline_ms": int(header("Lambda-Runtime-Deadline-Ms") or 0),
            "invoked_function_arn": header("Lambda-Runtime-Invoked-Function-Arn"),
            "trace_id": header("Lambda-Runtime-Trace-Id"),
            "client_context": header("Lambda-Runtime-Client-Context"),
            "cognito_identity": header("Lambda-Runtime-Cognito-Identity"),
            "tenant_id": header("Lambda-Runtime-Aws-Tenant-Id"),
            "content_type": header("Content-Type"),
            "body": body,
        }

    def post(self, path, body, headers):
        response, text = self.request("POST", path, body, headers)
        # awslambdaric raises on a refused post (413 for an oversized response
        # among them), which ends the runtime: Lambda starts a new one.
        if not 200 <= response.status < 300:
            reason = "Reason: '{}'. Response body: '{}'".format(
                response.status, text.decode("utf-8", "replace")
            )
            endpoint = API_PREFIX + path
            raise RuntimeError(
                "Request to Lambda Runtime '{}' endpoint failed. {}".format(endpoint, reason)
            )

    def post_response(self, request_id, body, content_type):
        path = "/invocation/{}/response".format(request_id)
        self.post(path, body, {"Content-Type": content_type})

    def post_error(self, request_id, error):
        # awslambdaric sends the type in the body only (and an X-Ray cause
        # header); the header here lets any Runtime API read it without parsing.
        headers = {"Content-Type": "application/json", ERROR_TYPE_HEADER: error["errorType"]}
        path = "/invocation/{}/error".format(request_id)
        self.post(path, to_json(error).encode("utf-8"), headers)

    def post_init_error(self, error):
        headers = {"Content-Type": "application/json", ERROR_TYPE_HEADER: error["errorType"]}
        self.post("/init/error", to_json(error).encode("utf-8"), headers)


# ------------------------------------------------------------------ the loop


def set_trace_id(trace_id):
    # Per invocation, as awslambdaric's update_xray_env_variable: X-Ray SDKs read it here.
    if trace_id is not None:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)


def handle(client, handler, invocation):
    request_id = invocation["request_id"]
    try:
        context = LambdaContext(invocation)
        event = unmarshal_event(invocation["body"], invocation["content_type"])
        body, content_type = marshal_response(handler(event, context))
    except Fault as fault:
        error = make_error(fault.message, fault.error_type, fault.trace, request_id)
    except Exception:
        # Only Exception, as awslambdaric: SystemExit and the like end the runtime.
        error = error_from_exception(sys.exc_info(), request_id)
    else:
        client.post_response(request_id, body, content_type)
        return
    log_error(error)
    client.post_error(request_id, error)


def run():
    global current_request_id
    sys.stdout = Unbuffered(sys.stdout)
    sys.stderr = Unbuffered(sys.stderr)
    address = os.environ.get("AWS_LAMBDA_RUNTIME_API")
    if not address:
        sys.stderr.write("bootstrap.py: AWS_LAMBDA_RUNTIME_API is not set\n")
        sys.exit(2)
    client = RuntimeClient(address)
    use_task_root(os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd())
    try:
        setup_logging()
        handler = load_handler(os.environ.get("_HANDLER", ""))
    except Exception as error:
        if isinstance(error, Fault):
            result = make_error(error.message, error.error_type, error.trace)
        else:
            result = error_from_exception(sys.exc_info())
        logging.warning(UNHANDLED_WARNING)
        log_error(result)
        client.post_init_error(result)
        sys.exit(1)
    while True:
        invocation = client.next()
        current_request_id = invocation["request_id"]
        set_trace_id(invocation["trace_id"])
        handle(client, handler, invocation)


def probe(task_root, handler_name):
    """Imports the handler as the runtime would and prints `{"ok": ...}` as the last line.

    The same contract as the Node.js probe, so the local target can refuse a
    handler before a sweep; a handler that is not callable is refused too,
    since every invocation of it would fail with TypeError: reported as
    Runtime.HandlerNotFound, as the Node.js runtime reports an export that is
    not a function, so it is told apart from a TypeError the module raises.
    """
    sys.stdout = Unbuffered(sys.stdout)
    sys.stderr = Unbuffered(sys.stderr)
    use_task_root(task_root)
    try:
        setup_logging()
        handler = load_handler(handler_name)
        if callable(handler):
            result = {"ok": True}
        else:
            result = {
                "ok": False,
                "errorType": Fault.HANDLER_NOT_FOUND,
                "errorMessage": "'{}' object is not callable: {} is not a function".format(
                    type(handler).__name__, handler_name
                ),
            }
    except Fault as fault:
        result = {"ok": False, "errorType": fault.error_type, "errorMessage": fault.message}
    except SystemExit as error:
        # The runtime would exit during init: report it as the emulator does.
        code = 0 if error.code is None else error.code if isinstance(error.code, int) else 1
        message = "Runtime exited with error: exit status {}".format(code)
        result = {"ok": False, "errorType": "Runtime.ExitError", "errorMessage": message}
    except Exception as error:
        result = {"ok": False, "errorType": type(error).__name__, "errorMessage": str(error)}
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    # Threads the module started must not keep the probe alive.
    os._exit(0)


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--probe":
        if len(sys.argv) != 4:
            sys.stderr.write("usage: bootstrap.py --probe <taskRoot> <handler>\n")
            sys.exit(2)
        probe(sys.argv[2], sys.argv[3])
    else:
        run()
