import { render } from "preact";
import "./styles.css";
import { App } from "./App.tsx";
import { interceptLinks } from "./lib/router.ts";

interceptLinks();
render(<App />, document.getElementById("app")!);
