// otlp-decode reads one OTLP Export*ServiceRequest in protobuf on stdin and prints it as proto JSON,
// decoded by the official generated types (go.opentelemetry.io/proto/otlp). meshtail's tests use it
// to show that what meshtail encodes is what the official definitions read.
//
// Usage: otlp-decode logs|traces|metrics < request.pb
package main

import (
	"fmt"
	"io"
	"os"

	collogs "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	colmetrics "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: otlp-decode logs|traces|metrics < request.pb")
		os.Exit(2)
	}
	var msg proto.Message
	switch os.Args[1] {
	case "logs":
		msg = &collogs.ExportLogsServiceRequest{}
	case "traces":
		msg = &coltrace.ExportTraceServiceRequest{}
	case "metrics":
		msg = &colmetrics.ExportMetricsServiceRequest{}
	default:
		fmt.Fprintf(os.Stderr, "unknown signal %q\n", os.Args[1])
		os.Exit(2)
	}
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Strict decoding: unknown fields would mean meshtail wrote a field number the schema lacks.
	if err := (proto.UnmarshalOptions{DiscardUnknown: false}).Unmarshal(in, msg); err != nil {
		fmt.Fprintln(os.Stderr, "decode:", err)
		os.Exit(1)
	}
	if path := unknownFields(msg.ProtoReflect(), os.Args[1]); path != "" {
		fmt.Fprintln(os.Stderr, "decode: field numbers the schema does not know at", path)
		os.Exit(1)
	}
	out, err := protojson.MarshalOptions{UseEnumNumbers: true}.Marshal(msg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Stdout.Write(out)
}

// unknownFields returns the path of the first message holding fields its schema does not define.
func unknownFields(m protoreflect.Message, path string) string {
	if len(m.GetUnknown()) > 0 {
		return path
	}
	found := ""
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		sub := path + "." + string(fd.Name())
		switch {
		case fd.IsList() && fd.Message() != nil:
			list := v.List()
			for i := 0; i < list.Len() && found == ""; i++ {
				found = unknownFields(list.Get(i).Message(), fmt.Sprintf("%s[%d]", sub, i))
			}
		case fd.IsMap():
			// OTLP has no maps.
		case fd.Message() != nil:
			found = unknownFields(v.Message(), sub)
		}
		return found == ""
	})
	return found
}
