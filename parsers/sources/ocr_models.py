"""Whether OCR of scans can run here (for `gongkai doctor`): the RapidOCR model files the engine loads, and
the libraries it needs, checked without loading any model (an onnxruntime session takes seconds).

The models are files of the installed `rapidocr-onnxruntime` wheel, named by its `config.yaml` relative to
the package folder (see ocr_engine.py: nothing is downloaded).
"""

from __future__ import annotations

import importlib.util
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "rapidocr_onnxruntime"


def package_dir() -> Path | None:
    """The installed RapidOCR package's folder, found without importing it (or None)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


@dataclass(frozen=True)
class OcrModels:
    package: Path | None
    files: list[Path] = field(default_factory=list)  # every model the engine loads
    problems: list[str] = field(default_factory=list)  # in Chinese


def check_models(package: Path | None = None) -> OcrModels:
    """The model files named by the package's config.yaml (detection, direction, recognition: the engine
    loads all three), each present, readable and not empty. `package`: the RapidOCR folder, default the
    installed one."""
    package = package if package is not None else package_dir()
    if package is None:
        return OcrModels(None, problems=[f"没有安装文字识别组件 {PACKAGE}"])
    config = package / "config.yaml"
    try:
        text = config.read_text(encoding="utf-8")
    except OSError as err:
        return OcrModels(package, problems=[f"无法读取文字识别配置 {config}：{err.strerror or err}"])
    files = [package / rel for rel in re.findall(r"^\s*model_path:\s*(\S+)\s*$", text, re.M)]
    if not files:
        return OcrModels(package, problems=[f"文字识别配置 {config} 中没有模型文件"])
    problems = []
    for path in files:
        if not path.is_file():
            problems.append(f"缺少模型文件 {path}")
        elif not os.access(path, os.R_OK):
            problems.append(f"模型文件 {path} 没有读取权限")
        elif path.stat().st_size == 0:
            problems.append(f"模型文件 {path} 是空文件")
    return OcrModels(package, files, problems)


def libraries_problem() -> str | None:
    """Why the OCR libraries cannot be imported here (OpenCV needs the system's libGL and glib), or None."""
    try:
        import cv2  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError as err:
        return str(err)
    return None
